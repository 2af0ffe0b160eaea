import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './errors.js';
import { readClaims, serverSkew } from './jwt.js';

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, null when absent or unreadable', () => {
    const now = Date.parse('2025-10-03T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Fri, 03 Oct 2025 10:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});

describe('token claims', () => {
  const token = (claims: object) => `x.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

  it('reads the payload of a JWT (UTF-8 names included) and nothing from other strings', () => {
    expect(readClaims(token({ sub: 'u', username: 'ü', exp: 5 }))).toEqual({ sub: 'u', username: 'ü', exp: 5 });
    expect(readClaims('opaque')).toBeNull();
  });

  it('judges the server clock from a fresh token, a second early', () => {
    const now = Date.now();
    // The server's clock is an hour ahead of this machine's.
    expect(serverSkew(token({ iat: Math.floor(now / 1000) + 3600, exp: 1 }), now)).toBe(Math.floor(now / 1000) * 1000 + 3_600_000 - now - 1000);
    expect(serverSkew('opaque', now)).toBe(0);
  });
});
