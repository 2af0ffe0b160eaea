import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { messageStatus } from '../actions/read-message.js';
import type { Ctx } from '../actions/context.js';
import { idParam } from './params.js';

/** GET /api/v1/messages/:messageId/status */
export const messageStatusRoute = (ctx: Ctx): RequestHandler => async (req, res) => {
  const messageId = idParam(req, 'message_id');
  res.json(await messageStatus(ctx, currentUser(req).userId, messageId));
};
