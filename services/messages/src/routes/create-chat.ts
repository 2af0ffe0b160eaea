import type { RequestHandler } from 'express';
import { z } from 'zod';
import { limits, uuid } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import { createPrivateChat } from '../use-cases/create-private-chat.js';
import type { MessagesContext } from '../context.js';

const body = z.object({
  type: z.literal('private').default('private'),
  participant_ids: z.array(uuid).min(1).max(limits.maxParticipants * 2),
});

/** POST /api/v1/chats */
export const createChatRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  const input = parseInput(body, req.body);
  const user = currentUser(req);
  res.status(201).json(await createPrivateChat(ctx, user, input.participant_ids));
};
