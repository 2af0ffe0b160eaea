import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';
import { every } from './every.js';
import { createLogger } from '@chatroulette/logger';

describe('createBatcher', () => {
  it('flushes at maxItems at once, and the rest after maxDelayMs, in order', async () => {
    const flushed: number[][] = [];
    const b = createBatcher<number>({ maxItems: 3, maxDelayMs: 20, flush: (items) => void flushed.push(items) });
    for (const n of [1, 2, 3, 4]) b.add(n);
    await Promise.resolve();
    expect(flushed).toEqual([[1, 2, 3]]);
    expect(b.pending).toBe(1);
    await new Promise((r) => setTimeout(r, 40));
    expect(flushed).toEqual([[1, 2, 3], [4]]);
  });

  it('runs flushes one after another and goes on after a failing one', async () => {
    const order: string[] = [];
    let calls = 0;
    const b = createBatcher<string>({
      maxItems: 1,
      maxDelayMs: 1000,
      flush: async (items) => {
        if (calls++ === 0) {
          await new Promise((r) => setTimeout(r, 10));
          order.push(`slow ${items[0]}`);
          throw new Error('boom');
        }
        order.push(`fast ${items[0]}`);
      },
    });
    b.add('a');
    b.add('b');
    await b.flush();
    expect(order).toEqual(['slow a', 'fast b']);
  });
});

describe('every', () => {
  it('runs until stopped, and a failing run does not stop it', async () => {
    let runs = 0;
    const job = every('t', 5, () => {
      runs++;
      if (runs === 1) throw new Error('first run fails');
    }, createLogger('test', 'silent'));
    await new Promise((r) => setTimeout(r, 60));
    await job.stop();
    const seen = runs;
    expect(seen).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toBe(seen);
  });
});
