import { describe, expect, it } from 'vitest';
import { legacyProfileUpdate, loginBody, profileUpdate, registerBody } from './auth.js';

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

describe('legacyProfileUpdate', () => {
  it('takes profile_photo as avatar_url, a birthday and the flags', () => {
    expect(legacyProfileUpdate.parse({ profile_photo: 'https://x.example/p.png', birthday: '2000-02-29', show_username: false })).toEqual({
      avatar_url: 'https://x.example/p.png',
      birthday: '2000-02-29',
      show_username: false,
    });
    expect(legacyProfileUpdate.parse({ birthday: null, profile_photo: '' })).toEqual({ birthday: null, avatar_url: null });
  });

  it.each([
    ['a day that does not exist', { birthday: '2001-02-29' }],
    ['a month 13', { birthday: '2001-13-01' }],
    ['before 1900', { birthday: '1899-12-31' }],
    ['a time', { birthday: '2001-01-01T00:00:00Z' }],
    ['a string flag', { show_birthday: 'true' }],
    ['two photos', { profile_photo: 'https://a.example/1', avatar_url: 'https://a.example/2' }],
  ])('refuses %s', (_name, body) => {
    expect(legacyProfileUpdate.safeParse(body).success).toBe(false);
  });
});
