import { describe, expect, it } from 'vitest';
import { methodLabel, routeLabel } from './route-label.js';
import { requestIdFor } from './request-id.js';

describe('routeLabel', () => {
  it.each([
    ['messages', '/api/v1/chats', 'messages /api/v1/chats'],
    ['messages', '/api/v1/chats/', 'messages /api/v1/chats'],
    ['messages', '/api/v1/chats/3f2b8c2e-1d4a-4c1e-9a61-2f5d7c9b0a11/messages', 'messages /api/v1/chats/:id/messages'],
    ['messages', '/api/v1/messages/42/like', 'messages /api/v1/messages/:id/like'],
    ['auth', '/api/v1/users/abc/profile', 'auth /api/v1/users/:id/profile'],
    ['auth', '/api/v1/auth/login', 'auth /api/v1/auth/login'],
    ['roulette', '/api/v1/chatroulette/x/skip', 'roulette /api/v1/chatroulette/:id/skip'],
    ['media', '/api/v1/upload', 'media /api/v1/upload'],
    ['media', '/api/v1/uploads/f.png', 'media /api/v1/uploads/:id'],
    ['media', '/uploads/u/f.png', 'media /uploads/:id/:id'],
    ['auth', '/api/v1/login', 'auth /api/v1/login'],
    ['auth', '/api/v1/profile/online', 'auth /api/v1/profile/online'],
    ['roulette', '/api/v1/swirl/find', 'roulette /api/v1/swirl/find'],
    ['roulette', '/api/v1/swirl/c/save', 'roulette /api/v1/swirl/:id/save'],
    ['auth', '/api/v1/rtc/ice-servers', 'auth /api/v1/rtc/ice-servers'],
    ['roulette', '/api/v1/moderation/reports', 'roulette /api/v1/moderation/reports'],
    ['roulette', '/api/v1/moderation/users/u/suspend', 'roulette /api/v1/moderation/users/:id/suspend'],
  ] as const)('%s %s -> %s', (upstream, path, label) => expect(routeLabel(upstream, path)).toBe(label));

  it('never takes a label from a path that is none of the routes', () => {
    expect(routeLabel('messages', '/api/v1/chats/a/b/c')).toBe('messages other');
    expect(routeLabel('auth', '/api/v1/auth/whatever-a-client-sends')).toBe('auth other');
    expect(routeLabel('auth', `/api/v1/auth${'/x'.repeat(20)}`)).toBe('auth other');
    expect(routeLabel(null, '/nope')).toBe('none');
  });

  it('labels only standard methods', () => {
    expect(methodLabel('GET')).toBe('GET');
    expect(methodLabel('BREW')).toBe('OTHER');
  });
});

describe('requestIdFor', () => {
  it('keeps a sane client id and replaces anything else', () => {
    expect(requestIdFor('abc-123_X.y:z')).toBe('abc-123_X.y:z');
    expect(requestIdFor('a'.repeat(128))).toBe('a'.repeat(128));
    for (const bad of [undefined, '', 'a'.repeat(129), 'has space', 'a,b', 'é', 'x\ny']) {
      const id = requestIdFor(bad);
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
