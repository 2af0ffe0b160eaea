import { afterEach, describe, expect, it } from 'vitest';
import { ExpirySweep, type ExpirySlot } from './expiry-sweep.js';

interface Item extends ExpirySlot {
  name: string;
}
const item = (name: string): Item => ({ name, expirySecond: 0 });

let sweep: ExpirySweep<Item> | undefined;
afterEach(() => sweep?.stop());

describe('ExpirySweep', () => {
  it('hands out each item once its second has come, not before', () => {
    let now = 1_000_000_500;
    const expired: string[] = [];
    sweep = new ExpirySweep<Item>((i) => i, (i) => expired.push(i.name), 60_000, () => now);
    const a = item('a');
    const b = item('b');
    sweep.add(a, 1_000_001);
    sweep.add(b, 1_000_003);
    expect(sweep.size).toBe(2);
    sweep.sweep();
    expect(expired).toEqual([]);
    now = 1_000_001_000;
    sweep.sweep();
    expect(expired).toEqual(['a']);
    expect(a.expirySecond).toBe(0);
    now = 1_000_010_000;
    sweep.sweep();
    expect(expired).toEqual(['a', 'b']);
    expect(sweep.size).toBe(0);
  });

  it('moves an item on a later add and forgets a removed one', () => {
    let now = 2_000_000_000;
    const expired: string[] = [];
    sweep = new ExpirySweep<Item>((i) => i, (i) => expired.push(i.name), 60_000, () => now);
    const a = item('a');
    const b = item('b');
    sweep.add(a, 2_000_001);
    sweep.add(a, 2_000_100); // refreshed by an auth frame
    sweep.add(b, 2_000_001);
    sweep.remove(b); // closed
    now = 2_000_050_000;
    sweep.sweep();
    expect(expired).toEqual([]);
    expect(sweep.size).toBe(1);
    now = 2_000_100_000;
    sweep.sweep();
    expect(expired).toEqual(['a']);
  });

  it('expires at the next sweep an item added with a second already past', () => {
    let now = 3_000_000_000;
    const expired: string[] = [];
    sweep = new ExpirySweep<Item>((i) => i, (i) => expired.push(i.name), 60_000, () => now);
    sweep.sweep();
    sweep.add(item('late'), 2_999_990);
    sweep.sweep();
    expect(expired).toEqual(['late']);
  });

  it('runs by itself on its interval', async () => {
    const expired: string[] = [];
    sweep = new ExpirySweep<Item>((i) => i, (i) => expired.push(i.name), 20);
    sweep.add(item('now'), Math.floor(Date.now() / 1000));
    await new Promise((r) => setTimeout(r, 100));
    expect(expired).toEqual(['now']);
  });
});
