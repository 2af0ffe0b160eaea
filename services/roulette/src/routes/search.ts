import type { RequestHandler } from 'express';
import { searchBody } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import type { RouletteContext } from '../context.js';
import { search } from '../use-cases/search.js';

/** POST /chatroulette/search and GET /chatroulette/find: 200 matched, 202 searching. */
export function searchRoute(ctx: RouletteContext): RequestHandler {
  return async (req, res) => {
    const user = currentUser(req);
    const { interests } = parseInput(searchBody, req.method === 'GET' ? undefined : req.body);
    const state = await search(ctx, user.userId, interests);
    res.status(state.status === 'matched' ? 200 : 202).json(state);
  };
}
