import type { RequestHandler } from 'express';
import { legacyChatsQuery } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import { listChats, listChatsLegacy } from '../use-cases/list-chats.js';
import type { MessagesContext } from '../context.js';
import { listShape } from './legacy-pages.js';

/** GET /api/v1/chats: our array; with a legacy token `?page=1&limit=20` -> the original's `{chats, page, limit}` */
export const listChatsRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  const userId = currentUser(req).userId;
  if (listShape(req, [], ['page']) === 'ours') {
    res.json(await listChats(ctx, userId));
    return;
  }
  res.json(await listChatsLegacy(ctx, userId, parseInput(legacyChatsQuery, req.query, 'query')));
};
