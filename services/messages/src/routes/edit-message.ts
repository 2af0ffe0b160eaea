import type { RequestHandler } from 'express';
import { editMessageBody } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import { editOwnMessage } from '../use-cases/edit-message.js';
import type { MessagesContext } from '../context.js';
import { idParam } from './params.js';

/** PUT /api/v1/messages/:messageId/edit */
export const editMessageRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  const messageId = idParam(req, 'message_id');
  const body = parseInput(editMessageBody, req.body);
  res.json(await editOwnMessage(ctx, currentUser(req).userId, messageId, body.content));
};
