import type { Request, RequestHandler } from 'express';
import { AppError } from '@chatroulette/errors';

export interface RateLimitOptions {
  /** Tokens added per `perMs` (the sustained rate). */
  rate: number;
  /** The refill period in milliseconds: 1000 for "per second", 60_000 for "per minute". */
  perMs: number;
  /** Bucket size: how many may be taken at once after a quiet period (defaults to `rate`). */
  burst?: number;
  /** Keys kept before full (idle) buckets are swept; bounds memory under many distinct keys. */
  maxKeys?: number;
  /** The clock, for tests. */
  now?: () => number;
}

export type Take = { ok: true; remaining: number } | { ok: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key, in this process's memory: `take(key)` spends one token or says how long
 * until one is back. With N instances behind a round-robin, a key gets up to N times the rate; that
 * is accepted for per-second and per-minute limits (they bound abuse, not exact quotas).
 */
export function createRateLimiter(opts: RateLimitOptions) {
  const capacity = Math.max(1, opts.burst ?? opts.rate);
  const perMsRate = opts.rate / opts.perMs;
  const maxKeys = opts.maxKeys ?? 100_000;
  const now = opts.now ?? Date.now;
  const buckets = new Map<string, Bucket>();

  function level(b: Bucket, t: number): number {
    return Math.min(capacity, b.tokens + (t - b.at) * perMsRate);
  }

  /** Drops the buckets that refilled completely: they hold nothing a fresh bucket would not. */
  function sweep(t: number): void {
    for (const [key, b] of buckets) if (level(b, t) >= capacity) buckets.delete(key);
    // Still too many (a flood of distinct keys): forget the oldest, which only errs towards allowing.
    if (buckets.size > maxKeys) {
      let excess = buckets.size - maxKeys;
      for (const key of buckets.keys()) {
        if (excess-- <= 0) break;
        buckets.delete(key);
      }
    }
  }

  return {
    take(key: string): Take {
      const t = now();
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= maxKeys) sweep(t);
        b = { tokens: capacity, at: t };
        buckets.set(key, b);
      }
      b.tokens = level(b, t);
      b.at = t;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { ok: true, remaining: Math.floor(b.tokens) };
      }
      return { ok: false, retryAfterMs: Math.ceil((1 - b.tokens) / perMsRate) };
    },
    get size() {
      return buckets.size;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** Whole seconds for a Retry-After header: rounded up, at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** The contract's 429: `{error, code: "too_many_requests"}` with Retry-After (createApp sets the header). */
export function tooManyRequests(message: string, retryAfterMs: number): AppError {
  return new AppError('too_many_requests', message, { retryAfter: retryAfterSeconds(retryAfterMs) });
}

/**
 * Express middleware: one token per request from the bucket of `keyOf(req)` (e.g. the user id,
 * so it goes after requireAuth), else a 429 naming `what`.
 */
export function rateLimit(limiter: RateLimiter, keyOf: (req: Request) => string, what: string): RequestHandler {
  return (req, _res, next) => {
    const taken = limiter.take(keyOf(req));
    if (!taken.ok) throw tooManyRequests(`Too many ${what}; retry later`, taken.retryAfterMs);
    next();
  };
}
