import type { RequestHandler } from 'express';
import { sendMessageBody } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import { sendMessage } from '../use-cases/send-message.js';
import type { MessagesContext } from '../context.js';
import { idParam } from './params.js';

/** POST /api/v1/chats/:chatId/messages */
export const sendMessageRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  const chatId = idParam(req, 'chat_id');
  const body = parseInput(sendMessageBody, req.body);
  res.status(201).json(await sendMessage(ctx, currentUser(req), chatId, body));
};
