import { describe, expect, it } from 'vitest';
import { createMatcher } from './matcher.js';

/** A run that records its batches and finishes when the test says. */
function gatedRun() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const run = (items: number[]) => {
    batches.push(items);
    return new Promise<number[]>((resolve) => gates.push(() => resolve(items)));
  };
  const open = async () => {
    await new Promise((r) => setImmediate(r));
    gates.shift()!();
  };
  return { batches, run, open };
}

describe('createMatcher', () => {
  it('runs a lone join at once, and takes those who join meanwhile together in the next batch', async () => {
    const g = gatedRun();
    const matcher = createMatcher(g.run, 100);
    const first = matcher.join(1);
    const later = [matcher.join(2), matcher.join(3), matcher.join()];
    expect(g.batches).toEqual([[1]]);
    await g.open();
    expect(await first).toEqual([1]);
    await g.open();
    expect(await Promise.all(later)).toEqual([[2, 3], [2, 3], [2, 3]]);
    expect(g.batches).toEqual([[1], [2, 3]]);
  });

  it('takes at most maxBatch joiners a batch', async () => {
    const g = gatedRun();
    const matcher = createMatcher(g.run, 2);
    const all = [1, 2, 3, 4, 5].map((i) => matcher.join(i));
    for (let i = 0; i < 3; i++) await g.open();
    await Promise.all(all);
    expect(g.batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('fails the joiners of a failed batch only', async () => {
    let calls = 0;
    const matcher = createMatcher(async (items: number[]) => {
      calls++;
      if (calls === 1) throw new Error('down');
      return items;
    }, 10);
    const failed = matcher.join(1);
    const next = matcher.join(2);
    await expect(failed).rejects.toThrow('down');
    expect(await next).toEqual([2]);
  });
});
