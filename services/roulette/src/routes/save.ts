import type { RequestHandler } from 'express';
import { uuid } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import type { RouletteContext } from '../context.js';
import { save } from '../use-cases/save.js';

/** POST /chatroulette/{chat_id}/save: 200 `{chat}` of type saved; 409 when already saved. */
export function saveRoute(ctx: RouletteContext): RequestHandler {
  return async (req, res) => {
    const chatId = parseInput(uuid, req.params.chat_id, 'chat_id');
    res.status(200).json(await save(ctx, currentUser(req).userId, chatId));
  };
}
