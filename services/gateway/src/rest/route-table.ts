export type Upstream = 'auth' | 'messages' | 'roulette';

/** The REST paths of the contract and the service that owns each (CONTRACT.md). */
const prefixes: [prefix: string, exact: boolean, upstream: Upstream][] = [
  ['/api/v1/auth/', false, 'auth'],
  ['/api/v1/users/', false, 'auth'],
  ['/api/v1/chats', true, 'messages'],
  ['/api/v1/chats/', false, 'messages'],
  ['/api/v1/messages/', false, 'messages'],
  ['/api/v1/chatroulette/', false, 'roulette'],
];

/**
 * The upstream for a request path (without the query), or null for a path the gateway does not serve.
 * Dot segments are refused so `/api/v1/auth/../chats` cannot reach a service other than the one routed to.
 */
export function routeFor(path: string): Upstream | null {
  if (hasDotSegment(path)) return null;
  for (const [prefix, exact, upstream] of prefixes) {
    if (exact ? path === prefix || path === `${prefix}/` : path.startsWith(prefix) && path.length > prefix.length) {
      return upstream;
    }
  }
  return null;
}

function hasDotSegment(path: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return true;
  }
  return decoded.split('/').some((s) => s === '.' || s === '..') || decoded.includes('\\');
}
