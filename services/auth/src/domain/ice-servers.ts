import { createHmac } from 'node:crypto';
import type { IceServer, IceServers } from '@chatroulette/contracts';

/** STUN_URLS, TURN_URLS, TURN_SECRET, TURN_TTL_SECONDS. */
export interface IceConfig {
  stunUrls: string[];
  turnUrls: string[];
  /** Shared with coturn (`static-auth-secret`); set whenever turnUrls is. */
  turnSecret: string | undefined;
  turnTtlSeconds: number;
}


/**
 * A TURN credential in the TURN REST scheme that coturn's `use-auth-secret` checks: the username is
 * `<unix expiry>:<user_id>`, the password base64(HMAC-SHA1(secret, username)). coturn recomputes it
 * from the username and refuses it after the expiry, so nothing is stored or shared but the secret.
 */
export function turnCredential(secret: string, userId: string, expiresAt: number): { username: string; credential: string } {
  const username = `${expiresAt}:${userId}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/** What GET /api/v1/rtc/ice-servers answers the user at `nowMs`: STUN entries, then TURN with a credential valid for the ttl. */
export function iceServers(cfg: IceConfig, userId: string, nowMs: number): IceServers {
  const servers: IceServer[] = [];
  if (cfg.stunUrls.length > 0) servers.push({ urls: cfg.stunUrls });
  if (cfg.turnUrls.length > 0 && cfg.turnSecret) {
    const expiresAt = Math.floor(nowMs / 1000) + cfg.turnTtlSeconds;
    servers.push({ urls: cfg.turnUrls, ...turnCredential(cfg.turnSecret, userId, expiresAt) });
  }
  return { ice_servers: servers, ttl: cfg.turnTtlSeconds };
}
