import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { readMessage } from '../use-cases/read-message.js';
import type { MessagesContext } from '../context.js';
import { idParam } from './params.js';

/** PUT /api/v1/messages/:messageId/read */
export const readMessageRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  const messageId = idParam(req, 'message_id');
  res.json(await readMessage(ctx, currentUser(req).userId, messageId));
};
