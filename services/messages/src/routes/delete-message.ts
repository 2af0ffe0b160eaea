import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { deleteOwnMessage } from '../actions/change-message.js';
import type { Ctx } from '../actions/context.js';
import { idParam } from './params.js';

/** DELETE /api/v1/messages/:messageId */
export const deleteMessageRoute = (ctx: Ctx): RequestHandler => async (req, res) => {
  const messageId = idParam(req, 'message_id');
  res.json(await deleteOwnMessage(ctx, currentUser(req).userId, messageId));
};
