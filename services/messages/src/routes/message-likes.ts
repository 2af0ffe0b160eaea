import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { messageLikes } from '../actions/like-message.js';
import type { Ctx } from '../actions/context.js';
import { idParam } from './params.js';

/** GET /api/v1/messages/:messageId/likes */
export const messageLikesRoute = (ctx: Ctx): RequestHandler => async (req, res) => {
  const messageId = idParam(req, 'message_id');
  res.json(await messageLikes(ctx, currentUser(req).userId, messageId));
};
