import { describe, expect, it } from 'vitest';
import { DeliveredIds } from './delivered-ids.js';

describe('DeliveredIds', () => {
  it('forgets ids older than keepMs as new ones come', () => {
    const ids = new DeliveredIds(1000);
    ids.add('a', 0);
    ids.add('b', 500);
    ids.add('c', 1200);
    expect([ids.has('a'), ids.has('b'), ids.has('c')]).toEqual([false, true, true]);
  });

  it('keeps what a pending catch-up may read back to, however long the outage', () => {
    const ids = new DeliveredIds(1000);
    ids.add('before-the-cut', 10_000);
    ids.holdFrom(9_000);
    // Live events after a reconnect, long after the cut.
    ids.add('after', 60_000);
    expect(ids.has('before-the-cut')).toBe(true);
    ids.release();
    ids.add('later', 60_001);
    expect(ids.has('before-the-cut')).toBe(false);
    expect(ids.has('after')).toBe(true);
  });

  it('holds at most max ids, the oldest going first', () => {
    const ids = new DeliveredIds(60_000, 2);
    for (const [i, id] of ['a', 'b', 'c'].entries()) ids.add(id, i);
    expect([ids.has('a'), ids.has('b'), ids.has('c'), ids.size]).toEqual([false, true, true, 2]);
  });
});
