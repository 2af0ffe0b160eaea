import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from './claims.js';
import { TOKEN_ALG, type SigningKey } from './keys.js';

export interface TokenClaims {
  sub: string;
  username: string;
}

export interface SignOptions {
  /**
   * Issued-at, seconds since the epoch (default now). Auth sets it to a user's "tokens valid from"
   * second when that is later than now, so a token issued right after a password change survives it.
   */
  iat?: number;
}

/**
 * Signs a JWT with `sub`, `username`, `iss`, `aud`, `iat`, `exp` and a fresh `jti` (what a logout
 * revokes); only the auth service holds a SigningKey.
 */
export function signToken(key: SigningKey, claims: TokenClaims, ttlSeconds: number, opts: SignOptions = {}): string {
  const iat = opts.iat ?? Math.floor(Date.now() / 1000);
  return jwt.sign({ username: claims.username, iat }, key.privateKey, {
    algorithm: TOKEN_ALG,
    subject: claims.sub,
    expiresIn: ttlSeconds,
    keyid: key.kid,
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    jwtid: randomUUID(),
  });
}
