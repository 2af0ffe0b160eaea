import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { refresh } from '../use-cases/sessions.js';
import type { AuthContext } from '../context.js';

/** POST /api/v1/auth/refresh -> 200 {token, expires_at} */
export const refreshRoute =
  (ctx: AuthContext): RequestHandler =>
  async (req, res) => {
    res.json(await refresh(ctx, currentUser(req)));
  };
