import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import type { RouletteContext } from '../../context.js';
import { cancelSearch } from '../../use-cases/cancel-search.js';

/** DELETE /api/v1/swirl/clear (the original's): ends the caller's own search, never anyone else's -> 200 `{message}`. */
export function swirlClearRoute(ctx: RouletteContext): RequestHandler {
  return async (req, res) => {
    const state = await cancelSearch(ctx, currentUser(req).userId);
    res.status(200).json({ message: 'Search cleared', ...state });
  };
}
