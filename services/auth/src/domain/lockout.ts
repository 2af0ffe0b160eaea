import { AppError } from '@chatroulette/errors';

/** How failed logins lock a username and a client address out for a while. */
export interface LockoutRules {
  /** Failures of one username allowed before its next attempt must wait. */
  freeFailures: number;
  /** The same for one client address (higher: many users may share one, behind NAT). */
  freeFailuresPerAddress: number;
  /** The first wait; they double from it. */
  firstDelayMs: number;
  /** The longest wait. */
  maxDelayMs: number;
  /** A key's count starts again when its last failure is older than this. */
  windowS: number;
}

/** After `failures` failures (this one included): 0 while free, then `firstMs` (1 s), twice that ... up to `maxDelayMs`. */
export function lockDelayMs(failures: number, free: number, maxDelayMs: number, firstMs = 1000): number {
  if (failures < free) return 0;
  return Math.min(maxDelayMs, firstMs * 2 ** Math.min(failures - free, 30));
}

export const usernameLockKey = (usernameKey: string) => `user:${usernameKey}`;
export const addressLockKey = (address: string) => `addr:${address}`;

/** The 429 of a locked username or address, with Retry-After in whole seconds. */
export function loginLocked(retryAfterMs: number): AppError {
  return new AppError('too_many_requests', 'Too many failed logins; retry later', {
    retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  });
}
