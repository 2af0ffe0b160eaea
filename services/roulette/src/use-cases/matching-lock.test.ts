import { describe, expect, it } from 'vitest';
import { createTurnstile } from './matching-lock.js';

describe('createTurnstile', () => {
  it('runs one holder at a time, in arrival order, and survives a failing holder', async () => {
    const run = createTurnstile();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) =>
      run(async () => {
        log.push(`${name}:start`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name}:end`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([task('a', 20), task('b', 1, true), task('c', 5)]);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
