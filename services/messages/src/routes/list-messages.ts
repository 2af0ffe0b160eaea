import type { RequestHandler } from 'express';
import { historyQuery, legacyHistoryQuery } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import { listHistory } from '../use-cases/list-history.js';
import type { MessagesContext } from '../context.js';
import { idParam } from './params.js';
import { listShape } from './legacy-pages.js';

/**
 * GET /api/v1/chats/:chatId/messages?limit=50&offset=0&before={message_id}: an array, oldest first.
 * With a legacy token `?page=1&limit=50` -> the original's `{messages, page, limit}`, newest first.
 */
export const listMessagesRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  const chatId = idParam(req, 'chat_id');
  const userId = currentUser(req).userId;
  if (listShape(req, ['offset', 'before'], ['page']) === 'ours') {
    res.json(await listHistory(ctx, userId, chatId, parseInput(historyQuery, req.query, 'query')));
    return;
  }
  const page = parseInput(legacyHistoryQuery, req.query, 'query');
  const messages = await listHistory(ctx, userId, chatId, { limit: page.limit, offset: (page.page - 1) * page.limit, newestFirst: true });
  res.json({ messages, page: page.page, limit: page.limit });
};
