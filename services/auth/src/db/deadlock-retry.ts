import { pgCode } from '@chatroulette/db';

/** Deadlocks and serialization failures are safe to retry: the transaction did nothing. */
export async function withDeadlockRetry<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (e) {
      const code = pgCode(e);
      if (i >= attempts || (code !== '40P01' && code !== '40001')) throw e;
    }
  }
}
