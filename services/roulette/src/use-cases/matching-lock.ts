import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { lockMatching } from '../db/queries/queue.js';
import type { RouletteContext } from '../context.js';

/** Lets one caller through at a time, in arrival order; a caller that fails does not block the next. */
export function createTurnstile() {
  let tail: Promise<unknown> = Promise.resolve();
  return function pass<T>(fn: () => Promise<T>): Promise<T> {
    const result = tail.then(fn, fn);
    tail = result.catch(() => undefined);
    return result;
  };
}

export type Turnstile = ReturnType<typeof createTurnstile>;

/**
 * Runs `fn` in a transaction holding the database-wide matching lock (what keeps matching right
 * across instances). Within one instance callers first pass the turnstile, so a burst of searches
 * waits in memory instead of holding every pooled connection while blocked on the lock.
 */
export function withMatchingLock<T>(ctx: RouletteContext, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return ctx.matchingTurnstile(() =>
    ctx.db.transaction().execute(async (trx) => {
      await lockMatching(trx);
      return fn(trx);
    }),
  );
}
