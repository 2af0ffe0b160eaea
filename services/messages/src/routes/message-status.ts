import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { messageStatus } from '../use-cases/message-status.js';
import type { MessagesContext } from '../context.js';
import { idParam } from './params.js';

/** GET /api/v1/messages/:messageId/status */
export const messageStatusRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  const messageId = idParam(req, 'message_id');
  res.json(await messageStatus(ctx, currentUser(req).userId, messageId));
};
