import type { RequestHandler } from 'express';
import { currentUser, parseInput } from '@chatroulette/http';
import { editProfile } from '../use-cases/edit-profile.js';
import type { AuthContext } from '../context.js';
import { profileUpdate } from '../domain/profile.js';

/** PUT /api/v1/auth/profile {display_name?, bio?, avatar_url?} -> 200 the updated profile */
export const updateProfileRoute =
  (ctx: AuthContext): RequestHandler =>
  async (req, res) => {
    const fields = parseInput(profileUpdate, req.body);
    res.json(await editProfile(ctx, currentUser(req).userId, fields));
  };
