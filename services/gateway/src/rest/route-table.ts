import { restOwner, type RestService } from '@chatroulette/contracts';

/** A service behind the gateway that owns REST routes. */
export type Upstream = RestService;

/**
 * The upstream for a request path (without the query), or null for a path the gateway does not serve
 * (the owners are the contract's restRoutes). Dot segments are refused so `/api/v1/auth/../chats`
 * cannot reach a service other than the one routed to.
 */
export function routeFor(path: string): Upstream | null {
  return hasDotSegment(path) ? null : restOwner(path);
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
