import { describe, expect, it } from 'vitest';
import { profileUpdate } from './profile.js';
import { loginBody, registerBody, usernameKey } from './user.js';

describe('registerBody', () => {
  it('accepts the allowed characters and lengths', () => {
    expect(registerBody.safeParse({ username: 'Va_sya.K-1', password: '12345678' }).success).toBe(true);
    expect(registerBody.safeParse({ username: 'abc', password: 'x'.repeat(128) }).success).toBe(true);
    expect(registerBody.safeParse({ username: 'a'.repeat(32), password: 'x'.repeat(8) }).success).toBe(true);
  });

  it.each([
    ['short username', { username: 'ab', password: '12345678' }],
    ['long username', { username: 'a'.repeat(33), password: '12345678' }],
    ['space', { username: 'va sya', password: '12345678' }],
    ['non-ascii', { username: 'вася', password: '12345678' }],
    ['short password', { username: 'vasya', password: '1234567' }],
    ['long password', { username: 'vasya', password: 'x'.repeat(129) }],
    ['number username', { username: 12345, password: '12345678' }],
    ['missing password', { username: 'vasya' }],
  ])('refuses %s', (_name, body) => {
    expect(registerBody.safeParse(body).success).toBe(false);
  });

  it('keys usernames without regard to case', () => {
    expect(usernameKey('VaSyA')).toBe(usernameKey('vasya'));
  });

  it('login checks types only', () => {
    expect(loginBody.safeParse({ username: 'x', password: 'y' }).success).toBe(true);
    expect(loginBody.safeParse({ username: 'x', password: 1 }).success).toBe(false);
  });
});

describe('profileUpdate', () => {
  it('accepts valid fields and turns empty strings into null', () => {
    expect(profileUpdate.parse({ display_name: 'Vasya', bio: 'line\nline', avatar_url: 'https://x.example/a.png' })).toEqual({
      display_name: 'Vasya',
      bio: 'line\nline',
      avatar_url: 'https://x.example/a.png',
    });
    expect(profileUpdate.parse({ display_name: '', bio: null })).toEqual({ display_name: null, bio: null });
    expect(profileUpdate.parse({})).toEqual({});
  });

  it.each([
    ['unknown field', { username: 'new' }],
    ['long display_name', { display_name: 'x'.repeat(65) }],
    ['long bio', { bio: 'x'.repeat(501) }],
    ['control character', { display_name: 'a\u0000b' }],
    ['javascript url', { avatar_url: 'javascript:alert(1)' }],
    ['relative url', { avatar_url: '/a.png' }],
    ['long url', { avatar_url: `https://x.example/${'a'.repeat(2048)}` }],
    ['number', { bio: 5 }],
  ])('refuses %s', (_name, body) => {
    expect(profileUpdate.safeParse(body).success).toBe(false);
  });
});
