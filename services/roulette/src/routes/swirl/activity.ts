import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import type { RouletteContext } from '../../context.js';
import { touchSearch } from '../../db/queries/queue.js';

/** POST /api/v1/swirl/activity (the original's): a searcher is still there, so an idle-queue sweep keeps them. */
export function swirlActivityRoute(ctx: RouletteContext): RequestHandler {
  return async (req, res) => {
    const searching = await touchSearch(ctx.db, currentUser(req).userId);
    res.status(200).json({ message: searching ? 'Search activity updated' : 'Not searching', searching });
  };
}
