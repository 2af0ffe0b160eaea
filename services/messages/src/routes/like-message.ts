import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { setLike } from '../use-cases/like-message.js';
import type { MessagesContext } from '../context.js';
import { idParam } from './params.js';

/** POST (liked = true) or DELETE (liked = false) /api/v1/messages/:messageId/like */
export const likeMessageRoute =
  (ctx: MessagesContext, liked: boolean): RequestHandler =>
  async (req, res) => {
    const messageId = idParam(req, 'message_id');
    res.json(await setLike(ctx, currentUser(req).userId, messageId, liked));
  };
