import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { queueSize } from '../db/queries/queue.js';
import type { RouletteContext } from '../context.js';
import { currentState } from '../use-cases/state.js';

/** GET /chatroulette/status: the caller's state and how many users wait. */
export function statusRoute(ctx: RouletteContext): RequestHandler {
  return async (req, res) => {
    const state = await currentState(ctx, currentUser(req).userId);
    res.status(200).json({ ...state, queue_size: await queueSize(ctx.db) });
  };
}
