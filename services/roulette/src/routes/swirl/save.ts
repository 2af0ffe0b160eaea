import type { RequestHandler } from 'express';
import { uuid } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import type { RouletteContext } from '../../context.js';
import { save } from '../../use-cases/save.js';

/** POST /api/v1/swirl/{chat_id}/save (the original's): as our save -> 200 `{message, chat}`; 409 when already saved. */
export function swirlSaveRoute(ctx: RouletteContext): RequestHandler {
  return async (req, res) => {
    const chatId = parseInput(uuid, req.params.chat_id, 'chat_id');
    const { chat } = await save(ctx, currentUser(req).userId, chatId);
    res.status(200).json({ message: 'Chat saved', chat });
  };
}
