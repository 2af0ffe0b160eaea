import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { setLike } from '../actions/like-message.js';
import type { Ctx } from '../actions/context.js';
import { idParam } from './params.js';

/** POST (liked = true) or DELETE (liked = false) /api/v1/messages/:messageId/like */
export const likeMessageRoute =
  (ctx: Ctx, liked: boolean): RequestHandler =>
  async (req, res) => {
    const messageId = idParam(req, 'message_id');
    res.json(await setLike(ctx, currentUser(req).userId, messageId, liked));
  };
