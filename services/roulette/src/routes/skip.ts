import type { RequestHandler } from 'express';
import { skipBody, uuid } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import type { RouletteContext } from '../context.js';
import { skip } from '../use-cases/skip.js';

/** POST /chatroulette/{chat_id}/skip, body `{requeue?, interests?}`: 200 idle, or (requeue) the next search state. */
export function skipRoute(ctx: RouletteContext): RequestHandler {
  return async (req, res) => {
    const user = currentUser(req);
    const chatId = parseInput(uuid, req.params.chat_id, 'chat_id');
    const body = parseInput(skipBody, req.body);
    const state = await skip(ctx, user, chatId, body);
    // The contract answers skip with 200 whatever the next state is.
    res.status(200).json(state);
  };
}
