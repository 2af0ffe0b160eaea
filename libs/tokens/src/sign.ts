import jwt from 'jsonwebtoken';
import { TOKEN_ALG, type SigningKey } from './keys.js';

export interface TokenClaims {
  sub: string;
  username: string;
}

/** Signs a JWT with `sub`, `username`, `iat`, `exp`; only the auth service holds a SigningKey. */
export function signToken(key: SigningKey, claims: TokenClaims, ttlSeconds: number): string {
  return jwt.sign({ username: claims.username }, key.privateKey, {
    algorithm: TOKEN_ALG,
    subject: claims.sub,
    expiresIn: ttlSeconds,
    keyid: key.kid,
  });
}
