import { AppError } from '@chatroulette/errors';

// The budgets themselves (shared by every instance) are in libs/budgets; these are the 429's pieces.

/** Whole seconds for a Retry-After header: rounded up, at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** The contract's 429: `{error, code: "too_many_requests"}` with Retry-After (createApp sets the header). */
export function tooManyRequests(message: string, retryAfterMs: number): AppError {
  return new AppError('too_many_requests', message, { retryAfter: retryAfterSeconds(retryAfterMs) });
}
