import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { ownProfile } from '../use-cases/own-profile.js';
import type { AuthContext } from '../context.js';
import { legacyProfile, profile } from '../domain/views.js';

/** GET /api/v1/auth/profile -> 200 the caller's profile; GET /api/v1/profile (`legacy`) -> the original's view of it */
export const getProfileRoute =
  (ctx: AuthContext, opts: { legacy: boolean } = { legacy: false }): RequestHandler =>
  async (req, res) => {
    const row = await ownProfile(ctx, currentUser(req).userId);
    res.json(opts.legacy ? legacyProfile(row) : profile(row));
  };
