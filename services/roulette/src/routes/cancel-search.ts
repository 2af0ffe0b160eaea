import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import type { RouletteContext } from '../context.js';
import { cancelSearch } from '../use-cases/cancel-search.js';

/** DELETE /chatroulette/search: 200 `{status: "idle"}` (or the match a user is already in). */
export function cancelSearchRoute(ctx: RouletteContext): RequestHandler {
  return async (req, res) => {
    res.status(200).json(await cancelSearch(ctx, currentUser(req).userId));
  };
}
