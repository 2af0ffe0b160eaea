import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { logout } from '../use-cases/sessions.js';
import type { AuthContext } from '../context.js';

/** POST /api/v1/auth/logout -> 204; the token is refused everywhere from then on */
export const logoutRoute =
  (ctx: AuthContext): RequestHandler =>
  async (req, res) => {
    await logout(ctx, currentUser(req));
    res.status(204).end();
  };
