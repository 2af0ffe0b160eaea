import type { RequestHandler } from 'express';
import { loginBody } from '@chatroulette/contracts';
import { parseInput } from '@chatroulette/http';
import { login } from '../use-cases/login.js';
import type { AuthContext } from '../context.js';
import { clientBucket } from './client-bucket.js';

/**
 * POST /api/v1/auth/login -> 200 {user: {id, username, is_online, last_seen}, token}; 401; 429 while locked or over budget;
 * 503 hashes queue full. Also POST /api/v1/login (`legacy`): the same, with a legacy token.
 */
export const loginRoute =
  (ctx: AuthContext, opts: { legacy: boolean } = { legacy: false }): RequestHandler =>
  async (req, res) => {
    const body = parseInput(loginBody, req.body);
    res.json(await login(ctx, body, clientBucket(ctx, req), opts.legacy));
  };
