import type { RequestHandler } from 'express';
import { suspendBody, uuid } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import type { RouletteContext } from '../../context.js';
import { liftSuspension, suspendUser } from '../../use-cases/moderate.js';

/**
 * POST /moderation/users/{user_id}/suspend `{hours}`: 200 `{user_id, suspended_until}`; 400 bad hours;
 * 404 unknown user. DELETE (`suspended` false): 200 `{user_id, suspended_until: null}`. Moderators only.
 */
export function suspendRoute(ctx: RouletteContext, suspended: boolean): RequestHandler {
  return async (req, res) => {
    const userId = parseInput(uuid, req.params.user_id, 'user_id').toLowerCase();
    const moderator = currentUser(req);
    if (!suspended) return void res.status(200).json(await liftSuspension(ctx, moderator, userId));
    const { hours } = parseInput(suspendBody, req.body);
    res.status(200).json(await suspendUser(ctx, moderator, userId, hours));
  };
}
