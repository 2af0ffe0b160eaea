import type { RequestHandler } from 'express';
import { notFound } from '@chatroulette/errors';
import { currentUser } from '@chatroulette/http';
import type { RouletteContext } from '../../context.js';
import { search } from '../../use-cases/search.js';

/**
 * GET /api/v1/swirl/find (the original's): a search without interests. Matched -> 200 the partner and
 * the chat (`{user_id, username, chat_id}`, and our state beside them); nobody yet -> 404, and the
 * caller stays in the queue, as the original's clients poll this until it answers 200.
 */
export function swirlFindRoute(ctx: RouletteContext): RequestHandler {
  return async (req, res) => {
    const state = await search(ctx, currentUser(req).userId, []);
    if (state.status !== 'matched') throw notFound('No users available in search queue');
    res.status(200).json({ user_id: state.user.id, username: state.user.username, ...state });
  };
}
