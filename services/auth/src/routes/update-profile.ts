import type { RequestHandler } from 'express';
import { legacyProfileUpdate, profileUpdate } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import { editProfile } from '../use-cases/edit-profile.js';
import type { AuthContext } from '../context.js';
import { legacyProfile, profile } from '../domain/views.js';

/**
 * PUT /api/v1/auth/profile {display_name?, bio?, avatar_url?} -> 200 the updated profile.
 * PUT /api/v1/profile (`legacy`) also takes profile_photo, birthday, show_username, show_birthday,
 * show_online_status, and answers the original's view.
 */
export const updateProfileRoute =
  (ctx: AuthContext, opts: { legacy: boolean } = { legacy: false }): RequestHandler =>
  async (req, res) => {
    const fields = opts.legacy ? parseInput(legacyProfileUpdate, req.body) : parseInput(profileUpdate, req.body);
    const row = await editProfile(ctx, currentUser(req).userId, fields);
    res.json(opts.legacy ? legacyProfile(row) : profile(row));
  };
