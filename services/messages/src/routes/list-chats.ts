import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { listChats } from '../actions/chats.js';
import type { Ctx } from '../actions/context.js';

/** GET /api/v1/chats */
export const listChatsRoute = (ctx: Ctx): RequestHandler => async (req, res) => {
  res.json(await listChats(ctx, currentUser(req).userId));
};
