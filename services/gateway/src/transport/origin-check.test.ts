import { describe, expect, it } from 'vitest';
import { originAllowed, parseAllowedOrigins } from './origin-check.js';

describe('parseAllowedOrigins', () => {
  it('allows all when unset, empty or *', () => {
    expect(parseAllowedOrigins(undefined)).toBeNull();
    expect(parseAllowedOrigins('')).toBeNull();
    expect(parseAllowedOrigins(' * ')).toBeNull();
    expect(parseAllowedOrigins('https://a.example, *')).toBeNull();
  });

  it('normalizes origins and refuses what is not one', () => {
    expect([...parseAllowedOrigins('https://App.Example.com:443/, http://localhost:3000')!]).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
    ]);
    expect(() => parseAllowedOrigins('app.example.com')).toThrow(/not an http\(s\) origin/);
    expect(() => parseAllowedOrigins('ftp://x.example')).toThrow();
    expect(() => parseAllowedOrigins('Null')).toThrow();
  });

  it('takes the literal null: the origin of a page opened from file://', () => {
    expect([...parseAllowedOrigins('null, http://localhost:3000')!]).toEqual(['null', 'http://localhost:3000']);
  });
});

describe('originAllowed', () => {
  const allow = parseAllowedOrigins('https://app.example.com,http://localhost:3000');

  it('lets through a listed origin and a request without Origin', () => {
    expect(originAllowed(allow, 'https://app.example.com')).toBe(true);
    expect(originAllowed(allow, 'https://APP.example.com')).toBe(true);
    expect(originAllowed(allow, 'http://localhost:3000')).toBe(true);
    expect(originAllowed(allow, '')).toBe(true);
  });

  it('refuses other origins, other ports and schemes, and opaque ones', () => {
    for (const o of ['https://evil.example', 'http://app.example.com', 'http://localhost:3001', 'null', 'https://app.example.com.evil.example']) {
      expect(originAllowed(allow, o)).toBe(false);
    }
  });

  it('allows everything when there is no list', () => {
    expect(originAllowed(null, 'https://evil.example')).toBe(true);
    expect(originAllowed(null, 'null')).toBe(true);
  });

  it('lets through Origin: null only when null is listed', () => {
    expect(originAllowed(parseAllowedOrigins('null'), 'null')).toBe(true);
    expect(originAllowed(parseAllowedOrigins('null'), 'https://app.example.com')).toBe(false);
  });
});
