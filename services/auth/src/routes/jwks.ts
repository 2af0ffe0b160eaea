import type { RequestHandler } from 'express';
import type { AuthContext } from '../context.js';
import { jwks } from '../domain/signing-key.js';

/** GET /.well-known/jwks.json -> the public signing key as a JWK set */
export const jwksRoute =
  (ctx: AuthContext): RequestHandler =>
  (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(jwks(ctx.key));
  };
