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
 * across instances), on the lock's own connection. Within one instance callers first pass the
 * turnstile, so they wait in memory, one at a time on that connection.
 */
export function withMatchingLock<T>(ctx: RouletteContext, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return ctx.matchingTurnstile(() =>
    ctx.lockDb.transaction().execute(async (trx) => {
      await lockMatching(trx);
      return fn(trx);
    }),
  );
}
