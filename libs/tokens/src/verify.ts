import { createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { unauthorized } from '@chatroulette/errors';
import { LEGACY_CLAIM, TOKEN_AUDIENCE, TOKEN_ISSUER, TOKEN_MAX_LIFETIME_SECONDS } from './claims.js';
import { TOKEN_ALG } from './keys.js';

export interface VerifiedToken {
  userId: string;
  username: string;
  /** Expiry, in seconds since the epoch. */
  exp: number;
  /** Issued-at, seconds since the epoch: a password change revokes every token issued before it. */
  iat: number;
  /** The token's id: a logout revokes this one token. */
  jti: string;
  /** The signing key's id: a retired key revokes every token it signed. */
  kid: string;
  /** Issued by the original product's routes (LEGACY_CLAIM): the list routes answer the original's shapes. */
  legacy: boolean;
}

export interface PublicKeyInfo {
  kid: string;
  public_key_pem: string;
}

export type KeySource = () => Promise<PublicKeyInfo[]>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How far a token's iat may be ahead of this clock (clock skew between auth and a verifier). */
const IAT_SKEW_SECONDS = 60;

/**
 * Verifies ES256 tokens against the auth service's public keys, fetched from `source` on first use
 * and again when a token names a key id not seen yet (a rotated key). Only ES256 is accepted, so
 * `alg: none` and HMAC tokens signed with the public key are refused. The token must name auth as
 * its issuer and this system as its audience, carry a `jti`, and claim no longer a life than
 * TOKEN_MAX_LIFETIME_SECONDS (a stolen key cannot mint tokens for years).
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
      payload = jwt.verify(token, key, { algorithms: [TOKEN_ALG], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE }) as jwt.JwtPayload;
    } catch (e) {
      throw unauthorized(e instanceof jwt.TokenExpiredError ? 'Token expired' : 'Invalid token');
    }
    if (typeof payload.sub !== 'string' || !UUID.test(payload.sub)) throw unauthorized();
    const { username, exp, iat, jti } = payload;
    if (typeof username !== 'string' || typeof exp !== 'number' || typeof iat !== 'number' || typeof jti !== 'string' || !jti) {
      throw unauthorized();
    }
    // A token issued before `user_id` was added has none; one that names another user than `sub` is forged.
    if (payload.user_id !== undefined && payload.user_id !== payload.sub) throw unauthorized();
    if (exp - iat > TOKEN_MAX_LIFETIME_SECONDS) throw unauthorized('Token lifetime too long');
    if (iat > Date.now() / 1000 + IAT_SKEW_SECONDS) throw unauthorized('Token issued in the future');
    const legacy = payload[LEGACY_CLAIM] === true;
    return { userId: payload.sub, username, exp, iat, jti, kid: decoded.header.kid ?? '', legacy };
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;

/** The token of an `Authorization: Bearer <jwt>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
