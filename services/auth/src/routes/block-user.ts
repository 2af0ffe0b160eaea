import type { RequestHandler } from 'express';
import { uuid } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import { blockAnswer } from '../domain/block.js';
import { setBlock } from '../use-cases/blocks.js';
import type { AuthContext } from '../context.js';

/**
 * POST /api/v1/users/{user_id}/block -> 200 `{user_id, blocked: true}` (again: the same); 400 oneself
 * or a malformed id; 404 unknown user. DELETE (`blocked` false) -> 200 `{user_id, blocked: false}`.
 */
export const blockUserRoute =
  (ctx: AuthContext, blocked: boolean): RequestHandler =>
  async (req, res) => {
    const userId = parseInput(uuid, req.params.user_id, 'user_id');
    const state = await setBlock(ctx, currentUser(req).userId, userId, blocked);
    res.json(blockAnswer(state.blocked_id, blocked));
  };
