import type { RequestHandler } from 'express';
import { uuid } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import type { RouletteContext } from '../../context.js';
import { skip } from '../../use-cases/skip.js';

/** POST /api/v1/swirl/{chat_id}/skip (the original's): as our skip without requeue, no body -> 200 `{message}`. */
export function swirlSkipRoute(ctx: RouletteContext): RequestHandler {
  return async (req, res) => {
    const chatId = parseInput(uuid, req.params.chat_id, 'chat_id');
    const state = await skip(ctx, currentUser(req), chatId, { requeue: false });
    res.status(200).json({ message: 'User skipped', ...state });
  };
}
