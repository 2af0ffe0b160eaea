import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { deleteOwnMessage } from '../use-cases/delete-message.js';
import type { MessagesContext } from '../context.js';
import { idParam } from './params.js';

/** DELETE /api/v1/messages/:messageId */
export const deleteMessageRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  const messageId = idParam(req, 'message_id');
  res.json(await deleteOwnMessage(ctx, currentUser(req).userId, messageId));
};
