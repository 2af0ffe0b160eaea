import { describe, expect, it } from 'vitest';
import { routeFor } from './route-table.js';

describe('routeFor', () => {
  it.each([
    ['/api/v1/auth/register', 'auth'],
    ['/api/v1/auth/profile', 'auth'],
    ['/api/v1/users/8e6f0c1e-0000-4000-8000-000000000000/profile', 'auth'],
    ['/api/v1/chats', 'messages'],
    ['/api/v1/chats/', 'messages'],
    ['/api/v1/chats/abc/messages', 'messages'],
    ['/api/v1/messages/abc/like', 'messages'],
    ['/api/v1/chatroulette/search', 'roulette'],
    ['/api/v1/chatroulette/abc/skip', 'roulette'],
  ])('%s -> %s', (path, upstream) => {
    expect(routeFor(path)).toBe(upstream);
  });

  it.each([
    '/',
    '/api/v1',
    '/api/v1/auth',
    '/api/v1/chatsx',
    '/api/v1/messages',
    '/api/v1/unknown/x',
    '/api/v2/auth/login',
    '/api/v1/auth/../chats',
    '/api/v1/auth/%2e%2e/chats',
    '/api/v1/auth/%zz',
  ])('%s -> null', (path) => {
    expect(routeFor(path)).toBeNull();
  });
});
