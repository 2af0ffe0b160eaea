import { AppError } from '@chatroulette/errors';

/**
 * A bound on password hashes waiting for or running in libuv's thread pool (4 threads, shared with
 * logins, registrations and every other async crypto and file call): past `max` a request is refused
 * at once with 503 + Retry-After instead of queueing behind seconds of scrypt, so a burst of
 * registrations cannot make a correct login wait 7 s.
 */
export function createHashQueue(max: number, observe: { hashed?: (purpose: string) => void } = {}) {
  let pending = 0;
  return {
    /** Runs `fn` (which hashes, for `purpose`) holding one slot; 503 when every slot is taken. */
    async run<T>(purpose: string, fn: () => Promise<T>): Promise<T> {
      if (pending >= max) {
        throw new AppError('unavailable', 'Too many password checks in progress; retry shortly', { retryAfter: 1 });
      }
      pending++;
      try {
        const result = await fn();
        observe.hashed?.(purpose);
        return result;
      } finally {
        pending--;
      }
    },
    get pending() {
      return pending;
    },
  };
}

export type HashQueue = ReturnType<typeof createHashQueue>;
