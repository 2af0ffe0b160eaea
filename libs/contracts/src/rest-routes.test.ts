import { describe, expect, it } from 'vitest';
import { restOwner } from './rest-routes.js';

describe('restOwner', () => {
  it.each([
    ['/api/v1/auth/register', 'auth'],
    ['/api/v1/users/8e6f0c1e-0000-4000-8000-000000000000/profile', 'auth'],
    ['/api/v1/chats', 'messages'],
    ['/api/v1/chats/', 'messages'],
    ['/api/v1/chats/abc/messages', 'messages'],
    ['/api/v1/messages/abc/like', 'messages'],
    ['/api/v1/chatroulette/abc/skip', 'roulette'],
    ['/api/v1/moderation/reports', 'roulette'],
    ['/api/v1/upload', 'media'],
    ['/api/v1/uploads/abc.png', 'media'],
    ['/uploads/8e6f0c1e-0000-4000-8000-000000000000/abc.png', 'media'],
    ['/api/v1/register', 'auth'],
    ['/api/v1/login', 'auth'],
    ['/api/v1/profile', 'auth'],
    ['/api/v1/profile/online', 'auth'],
    ['/api/v1/swirl/find', 'roulette'],
    ['/api/v1/swirl/abc/save', 'roulette'],
    ['/api/v1/rtc/ice-servers', 'auth'],
  ])('%s -> %s', (path, owner) => expect(restOwner(path)).toBe(owner));

  it.each(['/', '/api/v1', '/api/v1/auth', '/api/v1/auth/', '/api/v1/chatsx', '/api/v1/messages', '/api/v1/uploadx', '/api/v1/uploads', '/uploads', '/uploadsx/a', '/api/v2/auth/login', '/api/v1/swirl', '/api/v1/registerx', '/api/v1/profiles', '/api/v1/rtc', '/api/v1/moderation'])('%s -> null', (path) =>
    expect(restOwner(path)).toBeNull(),
  );
});
