import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { messageLikes } from '../use-cases/message-likes.js';
import type { MessagesContext } from '../context.js';
import { idParam } from './params.js';

/** GET /api/v1/messages/:messageId/likes */
export const messageLikesRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  const messageId = idParam(req, 'message_id');
  res.json(await messageLikes(ctx, currentUser(req).userId, messageId));
};
