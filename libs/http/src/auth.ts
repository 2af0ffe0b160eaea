import type { Request, RequestHandler } from 'express';
import { unauthorized } from '@chatroulette/errors';
import { bearerToken, type TokenVerifier, type VerifiedToken } from '@chatroulette/tokens';

const USER = Symbol('user');

/** Refuses a request without a valid bearer token (401); the caller is then `currentUser(req)`. */
export function requireAuth(verify: TokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw unauthorized('Missing bearer token');
    (req as unknown as Record<symbol, VerifiedToken>)[USER] = await verify(token);
    next();
  };
}

export function currentUser(req: Request): VerifiedToken {
  const user = (req as unknown as Record<symbol, VerifiedToken | undefined>)[USER];
  if (!user) throw unauthorized();
  return user;
}
