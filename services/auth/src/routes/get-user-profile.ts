import type { RequestHandler } from 'express';
import { uuid } from '@chatroulette/contracts';
import { parseInput } from '@chatroulette/http';
import { publicProfile } from '../use-cases/public-profile.js';
import type { AuthContext } from '../context.js';

/** GET /api/v1/users/{user_id}/profile -> 200 public profile; 400 malformed id; 404 */
export const getUserProfileRoute =
  (ctx: AuthContext): RequestHandler =>
  async (req, res) => {
    const userId = parseInput(uuid, req.params.user_id, 'user_id');
    res.json(await publicProfile(ctx, userId));
  };
