import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { ownProfile } from '../use-cases/own-profile.js';
import type { AuthContext } from '../context.js';

/** GET /api/v1/auth/profile -> 200 the caller's profile */
export const getProfileRoute =
  (ctx: AuthContext): RequestHandler =>
  async (req, res) => {
    res.json(await ownProfile(ctx, currentUser(req).userId));
  };
