import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { getChat } from '../use-cases/get-chat.js';
import type { MessagesContext } from '../context.js';
import { idParam } from './params.js';

/** GET /api/v1/chats/:chatId */
export const getChatRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  const chatId = idParam(req, 'chat_id');
  res.json(await getChat(ctx, currentUser(req).userId, chatId));
};
