import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import type { RouletteContext } from '../../context.js';
import { queueSize } from '../../db/queries/queue.js';
import { currentState } from '../../use-cases/state.js';

/** GET /api/v1/swirl/status (the original's): `{queue_size, message}`, with the caller's state beside them. */
export function swirlStatusRoute(ctx: RouletteContext): RequestHandler {
  return async (req, res) => {
    const state = await currentState(ctx, currentUser(req).userId);
    const size = await queueSize(ctx.db);
    res.status(200).json({ queue_size: size, message: `${size} user(s) in search queue`, ...state });
  };
}
