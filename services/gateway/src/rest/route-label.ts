import type { Upstream } from './route-table.js';

/** Path segments kept as they are in a route pattern; every other segment is an id. */
const words = new Set([
  'api', 'v1', 'auth', 'users', 'chats', 'messages', 'chatroulette', 'register', 'login', 'logout', 'refresh',
  'password', 'profile', 'like', 'likes', 'status', 'edit', 'read', 'search', 'find', 'save', 'skip', 'report',
  'block', 'blocks', 'upload', 'uploads', 'swirl', 'activity', 'clear', 'online', 'rtc', 'ice-servers', 'moderation', 'reports', 'suspend',
]);

/** The contract's REST routes under the gateway's prefixes, ids as `:id`. */
const patterns = new Set([
  '/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/auth/refresh', '/api/v1/auth/password',
  '/api/v1/auth/profile', '/api/v1/users/:id/profile', '/api/v1/users/:id/block', '/api/v1/users/blocks',
  '/api/v1/chats', '/api/v1/chats/:id', '/api/v1/chats/:id/messages',
  '/api/v1/messages/:id', '/api/v1/messages/:id/like', '/api/v1/messages/:id/likes', '/api/v1/messages/:id/status',
  '/api/v1/messages/:id/edit', '/api/v1/messages/:id/read',
  '/api/v1/chatroulette/search', '/api/v1/chatroulette/find', '/api/v1/chatroulette/status',
  '/api/v1/chatroulette/:id/save', '/api/v1/chatroulette/:id/skip', '/api/v1/chatroulette/:id/report',
  '/api/v1/moderation/reports', '/api/v1/moderation/users/:id/suspend',
  '/api/v1/upload', '/api/v1/uploads/:id', '/uploads/:id/:id', '/api/v1/rtc/ice-servers',
  // The original product's routes.
  '/api/v1/register', '/api/v1/login', '/api/v1/profile', '/api/v1/profile/online',
  '/api/v1/swirl/find', '/api/v1/swirl/activity', '/api/v1/swirl/status', '/api/v1/swirl/clear',
  '/api/v1/swirl/:id/skip', '/api/v1/swirl/:id/save',
]);

const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The `route` label of a request: its upstream and route pattern (`messages /api/v1/chats/:id/messages`),
 * never the raw path; a path that is none of the contract's routes is `<upstream> other`, so no label
 * value comes from what a client made up.
 */
export function routeLabel(upstream: Upstream | null, path: string): string {
  if (!upstream) return 'none';
  const segments = path.split('/');
  if (segments.length > 8) return `${upstream} other`;
  let pattern = '';
  for (const s of segments) {
    if (s === '') continue;
    pattern += words.has(s) ? `/${s}` : '/:id';
  }
  return patterns.has(pattern) ? `${upstream} ${pattern}` : `${upstream} other`;
}

/** The `method` label: a standard method, else OTHER. */
export function methodLabel(method: string): string {
  return methods.has(method) ? method : 'OTHER';
}
