import { describe, expect, it } from 'vitest';
import { retryAfterSeconds, tooManyRequests } from './rate-limit.js';

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
