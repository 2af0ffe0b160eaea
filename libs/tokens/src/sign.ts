import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LEGACY_CLAIM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './claims.js';
import { TOKEN_ALG, type SigningKey } from './keys.js';

export interface TokenClaims {
  sub: string;
  username: string;
  /** Issued by the original product's routes (POST /api/v1/register, /login): the LEGACY_CLAIM marker. */
  legacy?: boolean;
}

export interface SignOptions {
  /**
   * Issued-at, seconds since the epoch (default now). Auth sets it to a user's "tokens valid from"
   * second when that is later than now, so a token issued right after a password change survives it.
   */
  iat?: number;
}

/**
 * Signs a JWT with `sub`, `user_id` (= sub: the original product's clients read it from the payload),
 * `username`, `iss`, `aud`, `iat`, `exp`, a fresh `jti` (what a logout revokes) and, for a legacy
 * token, the LEGACY_CLAIM marker; only the auth service holds a SigningKey.
 */
export function signToken(key: SigningKey, claims: TokenClaims, ttlSeconds: number, opts: SignOptions = {}): string {
  const iat = opts.iat ?? Math.floor(Date.now() / 1000);
  const payload = { user_id: claims.sub, username: claims.username, iat, ...(claims.legacy ? { [LEGACY_CLAIM]: true } : {}) };
  return jwt.sign(payload, key.privateKey, {
    algorithm: TOKEN_ALG,
    subject: claims.sub,
    expiresIn: ttlSeconds,
    keyid: key.kid,
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    jwtid: randomUUID(),
  });
}
