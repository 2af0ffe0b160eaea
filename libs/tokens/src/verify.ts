import { createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { unauthorized } from '@chatroulette/errors';
import { TOKEN_ALG } from './keys.js';

export interface VerifiedToken {
  userId: string;
  username: string;
  /** Expiry, in seconds since the epoch. */
  exp: number;
}

export interface PublicKeyInfo {
  kid: string;
  public_key_pem: string;
}

export type KeySource = () => Promise<PublicKeyInfo[]>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Verifies ES256 tokens against the auth service's public keys, fetched from `source` on first use
 * and again when a token names a key id not seen yet (a rotated key). Only ES256 is accepted, so
 * `alg: none` and HMAC tokens signed with the public key are refused.
 */
export function createTokenVerifier(source: KeySource) {
  let keys = new Map<string, KeyObject>();
  let lastFetch = 0;
  let inflight: Promise<void> | null = null;

  async function refresh(): Promise<void> {
    inflight ??= source()
      .then((list) => {
        keys = new Map(list.map((k) => [k.kid, createPublicKey(k.public_key_pem)]));
        lastFetch = Date.now();
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  }

  async function keyFor(kid: string | undefined): Promise<KeyObject | undefined> {
    if (keys.size === 0 || (kid && !keys.has(kid) && Date.now() - lastFetch > 5000)) await refresh();
    if (kid) return keys.get(kid);
    return keys.size === 1 ? keys.values().next().value : undefined;
  }

  /** Verifies the token's signature and claims; throws 401 for anything wrong, 503 when keys cannot be fetched. */
  return async function verify(token: string): Promise<VerifiedToken> {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string' || decoded.header.alg !== TOKEN_ALG) throw unauthorized();
    const key = await keyFor(decoded.header.kid);
    if (!key) throw unauthorized();
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key, { algorithms: [TOKEN_ALG] }) as jwt.JwtPayload;
    } catch (e) {
      throw unauthorized(e instanceof jwt.TokenExpiredError ? 'Token expired' : 'Invalid token');
    }
    if (typeof payload.sub !== 'string' || !UUID.test(payload.sub)) throw unauthorized();
    if (typeof payload.username !== 'string' || typeof payload.exp !== 'number') throw unauthorized();
    return { userId: payload.sub, username: payload.username, exp: payload.exp };
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;

/** The token of an `Authorization: Bearer <jwt>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
