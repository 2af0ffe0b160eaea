import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { lockMatching } from '../db/queries/queue.js';
import type { RouletteContext } from './context.js';

/** A promise chain: one holder at a time, in arrival order. */
export function createMutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return function run<T>(fn: () => Promise<T>): Promise<T> {
    const result = tail.then(fn, fn);
    tail = result.catch(() => undefined);
    return result;
  };
}

export type Mutex = ReturnType<typeof createMutex>;

/**
 * Runs `fn` in a transaction holding the database-wide matching lock (what keeps matching right
 * across instances). Within one instance callers first queue in memory, so a burst of searches
 * waits here instead of holding every pooled connection while blocked on the lock.
 */
export function withMatchingLock<T>(ctx: RouletteContext, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return ctx.matchingMutex(() =>
    ctx.db.transaction().execute(async (trx) => {
      await lockMatching(trx);
      return fn(trx);
    }),
  );
}
