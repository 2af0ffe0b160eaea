import type { Request, RequestHandler } from 'express';
import { tooManyRequests } from '@chatroulette/http';
import type { Budget } from './budget.js';

/**
 * Express middleware: one point of `keyOf(req)`'s budget per request (the user id: after
 * requireAuth), else the contract's 429 `{error, code: "too_many_requests"}` with Retry-After.
 */
export function budget(limit: Budget, keyOf: (req: Request) => string, what: string): RequestHandler {
  return async (req, _res, next) => {
    const spent = await limit.consume(keyOf(req));
    if (!spent.ok) throw tooManyRequests(`Too many ${what}; retry later`, spent.retryAfterMs);
    next();
  };
}
