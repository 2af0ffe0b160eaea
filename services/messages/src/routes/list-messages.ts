import type { RequestHandler } from 'express';
import { z } from 'zod';
import { limits, uuid } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import { listHistory } from '../use-cases/list-history.js';
import type { MessagesContext } from '../context.js';
import { idParam } from './params.js';

const digits = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(max));

const query = z.object({
  limit: digits(limits.maxHistoryPage).pipe(z.number().min(1)).default(50),
  offset: digits(1_000_000).default(0),
  before: uuid.optional(),
});

/** GET /api/v1/chats/:chatId/messages?limit=50&offset=0&before={message_id} */
export const listMessagesRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  const chatId = idParam(req, 'chat_id');
  const page = parseInput(query, req.query, 'query');
  res.json(await listHistory(ctx, currentUser(req).userId, chatId, page));
};
