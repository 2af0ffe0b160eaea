import type { RequestHandler } from 'express';
import { z } from 'zod';
import { limits, uuid } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import { listHistory } from '../use-cases/list-history.js';
import type { MessagesContext } from '../context.js';
import { idParam } from './params.js';
import { digits, legacyPageQuery, listShape } from './legacy-pages.js';

const query = z.object({
  limit: digits(limits.maxHistoryPage).pipe(z.number().min(1)).default(50),
  offset: digits(1_000_000).default(0),
  before: uuid.optional(),
});

const legacyQuery = legacyPageQuery(limits.maxHistoryPage, 50);

/**
 * GET /api/v1/chats/:chatId/messages?limit=50&offset=0&before={message_id}: an array, oldest first.
 * With a legacy token `?page=1&limit=50` -> the original's `{messages, page, limit}`, newest first.
 */
export const listMessagesRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  const chatId = idParam(req, 'chat_id');
  const userId = currentUser(req).userId;
  if (listShape(req, ['offset', 'before'], ['page']) === 'ours') {
    res.json(await listHistory(ctx, userId, chatId, parseInput(query, req.query, 'query')));
    return;
  }
  const page = parseInput(legacyQuery, req.query, 'query');
  const messages = await listHistory(ctx, userId, chatId, { limit: page.limit, offset: (page.page - 1) * page.limit, newestFirst: true });
  res.json({ messages, page: page.page, limit: page.limit });
};
