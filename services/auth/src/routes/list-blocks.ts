import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { listBlocks } from '../use-cases/blocks.js';
import type { AuthContext } from '../context.js';

/** GET /api/v1/users/blocks -> 200 `{blocks: [{user_id, username, blocked_at}]}`, the latest first */
export const listBlocksRoute =
  (ctx: AuthContext): RequestHandler =>
  async (req, res) => {
    res.json(await listBlocks(ctx, currentUser(req).userId));
  };
