import { pgCode } from '@chatroulette/db';

const ATTEMPTS = 3;

/**
 * Runs a transaction again after a deadlock or serialization failure (the transaction did nothing),
 * up to 3 attempts. Presence events and sweeps of several instances lock the same users.
 */
export async function withDeadlockRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (e) {
      const code = pgCode(e);
      if (i >= ATTEMPTS || (code !== '40P01' && code !== '40001')) throw e;
    }
  }
}
