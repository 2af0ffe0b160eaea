import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { listChats } from '../use-cases/list-chats.js';
import type { MessagesContext } from '../context.js';

/** GET /api/v1/chats */
export const listChatsRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  res.json(await listChats(ctx, currentUser(req).userId));
};
