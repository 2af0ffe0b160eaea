import { createHash } from 'node:crypto';
import type { TokenVerifier, VerifiedToken } from './verify.js';

/**
 * Verified tokens, remembered until their `exp` so a reconnect, or another socket of the same user,
 * skips the ES256 check (~0.15 ms each). Keyed by a SHA-256 of the token (64 bytes instead of the
 * ~300 of the token; the whole token is hashed, so a different payload or signature never hits),
 * bounded LRU (a Map in use order). Only successes are cached: a bad token is checked every time.
 * A token stays accepted until its exp even if its key is withdrawn meanwhile, as a socket opened
 * with it would stay open anyway (expiry closes it at exp).
 */
export function cachedVerifier(verify: TokenVerifier, maxEntries: number, now: () => number = Date.now): TokenVerifier {
  const cache = new Map<string, VerifiedToken>();
  if (maxEntries <= 0) return verify;

  return async function verifyCached(token: string): Promise<VerifiedToken> {
    const key = createHash('sha256').update(token).digest('base64');
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      if (hit.exp * 1000 > now()) {
        cache.set(key, hit);
        return hit;
      }
    }
    const user = await verify(token);
    if (user.exp * 1000 > now()) {
      cache.set(key, user);
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
    }
    return user;
  };
}
