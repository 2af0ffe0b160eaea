import { describe, expect, it } from 'vitest';
import { createRateLimiter, retryAfterSeconds, tooManyRequests } from './rate-limit.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('createRateLimiter', () => {
  it('allows the burst at once, then refuses with the time until the next token', () => {
    const c = clock();
    const limiter = createRateLimiter({ rate: 2, perMs: 1000, burst: 3, now: c.now });
    expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 500 });
    c.advance(499);
    expect(limiter.take('a').ok).toBe(false);
    c.advance(1);
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
  });

  it('keeps keys apart', () => {
    const c = clock();
    const limiter = createRateLimiter({ rate: 1, perMs: 60_000, now: c.now });
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 60_000 });
    expect(limiter.take('b').ok).toBe(true);
  });

  it('refills up to the burst only', () => {
    const c = clock();
    const limiter = createRateLimiter({ rate: 10, perMs: 1000, burst: 2, now: c.now });
    limiter.take('a');
    c.advance(60_000);
    expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, false]);
  });

  it('sustains the rate over time', () => {
    const c = clock();
    const limiter = createRateLimiter({ rate: 20, perMs: 1000, burst: 5, now: c.now });
    let allowed = 0;
    for (let ms = 0; ms < 10_000; ms += 10) {
      if (limiter.take('a').ok) allowed++;
      c.advance(10);
    }
    // 5 at once, then 20 a second for 10 s.
    expect(allowed).toBeGreaterThanOrEqual(200);
    expect(allowed).toBeLessThanOrEqual(205);
  });

  it('bounds memory: full buckets are swept when the key limit is reached', () => {
    const c = clock();
    const limiter = createRateLimiter({ rate: 1, perMs: 1000, maxKeys: 100, now: c.now });
    for (let i = 0; i < 100; i++) limiter.take(`k${i}`);
    c.advance(1000);
    limiter.take('new');
    expect(limiter.size).toBe(1);
    // Without idle buckets, the oldest go first and the size stays bounded.
    for (let i = 0; i < 500; i++) limiter.take(`x${i}`);
    expect(limiter.size).toBeLessThanOrEqual(101);
  });
});

describe('429 helpers', () => {
  it('round Retry-After up to whole seconds, at least 1', () => {
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1000)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
    expect(retryAfterSeconds(0)).toBe(1);
  });

  it('builds the too_many_requests AppError with retryAfter', () => {
    const e = tooManyRequests('Too many messages', 2500);
    expect(e).toMatchObject({ status: 429, code: 'too_many_requests', retryAfter: 3 });
  });
});
