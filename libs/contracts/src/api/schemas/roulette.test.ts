import { describe, expect, it } from 'vitest';
import { limits } from '../../limits.js';
import { searchBody, skipBody } from './roulette.js';

describe('searchBody', () => {
  it('accepts no body and an empty object', () => {
    expect(searchBody.parse(undefined)).toEqual({ interests: [] });
    expect(searchBody.parse({})).toEqual({ interests: [] });
  });

  it('normalises interests to trimmed lower case without duplicates', () => {
    expect(searchBody.parse({ interests: [' Music ', 'music', 'GO'] })).toEqual({ interests: ['music', 'go'] });
  });

  it('refuses non-strings, empty, too long and too many interests', () => {
    expect(searchBody.safeParse({ interests: [1] }).success).toBe(false);
    expect(searchBody.safeParse({ interests: 'music' }).success).toBe(false);
    expect(searchBody.safeParse({ interests: ['  '] }).success).toBe(false);
    expect(searchBody.safeParse({ interests: ['x'.repeat(limits.maxInterestLength + 1)] }).success).toBe(false);
    expect(searchBody.safeParse({ interests: Array.from({ length: limits.maxInterests + 1 }, (_, i) => `i${i}`) }).success).toBe(false);
    expect(searchBody.safeParse([]).success).toBe(false);
  });

  it('refuses control characters, which would fail the whole matcher batch in the database', () => {
    for (const bad of ['x\u0000y', 'a\nb', 'tab\there', '\u007f']) expect(searchBody.safeParse({ interests: [bad] }).success, JSON.stringify(bad)).toBe(false);
  });
});

describe('skipBody', () => {
  it('defaults to no requeue', () => {
    expect(skipBody.parse(undefined)).toEqual({ requeue: false, interests: undefined });
    expect(skipBody.parse({ requeue: true })).toEqual({ requeue: true, interests: undefined });
    expect(skipBody.safeParse({ requeue: 'yes' }).success).toBe(false);
  });
});
