import { describe, expect, it } from 'vitest';
import { lockDelayMs, loginLocked } from './lockout.js';

describe('lockDelayMs', () => {
  it('is free below the threshold, then doubles from 1 s, capped', () => {
    expect([1, 2, 3, 4].map((n) => lockDelayMs(n, 5, 60_000))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10, 11].map((n) => lockDelayMs(n, 5, 60_000))).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000]);
    expect(lockDelayMs(10_000, 5, 60_000)).toBe(60_000);
  });
});

describe('loginLocked', () => {
  it('is a 429 with Retry-After rounded up to seconds', () => {
    expect(loginLocked(1500)).toMatchObject({ status: 429, code: 'too_many_requests', retryAfter: 2 });
    expect(loginLocked(10)).toMatchObject({ retryAfter: 1 });
  });
});
