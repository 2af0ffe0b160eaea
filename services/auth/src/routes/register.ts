import type { RequestHandler } from 'express';
import { registerBody } from '@chatroulette/contracts';
import { parseInput } from '@chatroulette/http';
import { register } from '../use-cases/register.js';
import type { AuthContext } from '../context.js';
import { clientBucket } from './client-bucket.js';

/**
 * POST /api/v1/auth/register -> 201 {user: {id, username, created_at}, token}; 429 over budget; 503 hashes queue full.
 * Also POST /api/v1/register (`legacy`): the same, with a legacy token.
 */
export const registerRoute =
  (ctx: AuthContext, opts: { legacy: boolean } = { legacy: false }): RequestHandler =>
  async (req, res) => {
    const body = parseInput(registerBody, req.body);
    res.status(201).json(await register(ctx, body, clientBucket(ctx, req), opts.legacy));
  };
