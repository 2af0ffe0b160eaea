import type { RequestHandler } from 'express';
import { z } from 'zod';
import { limits, uuid } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import { createPrivateChat } from '../use-cases/create-private-chat.js';
import { givenChatDescription, givenChatName } from '../domain/chat.js';
import type { MessagesContext } from '../context.js';

/** Ours: the caller and the listed users, optionally named. */
const withParticipants = z.object({
  type: z.literal('private').default('private'),
  participant_ids: z.array(uuid).min(1).max(limits.maxParticipants * 2),
  name: givenChatName.optional(),
  description: givenChatDescription.optional(),
});

/** The original's: a named chat of the caller alone ("group" was its word for it; stored as private). */
const named = z.object({
  name: givenChatName,
  description: givenChatDescription.optional(),
  type: z.enum(['private', 'group']).default('private'),
});

const hasParticipants = (body: unknown) =>
  typeof body === 'object' && body !== null && (body as Record<string, unknown>).participant_ids !== undefined;

/** POST /api/v1/chats: `{type, participant_ids, name?}` (ours) or `{name, description?, type}` (the original's) -> 201 chat */
export const createChatRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  const user = currentUser(req);
  if (hasParticipants(req.body)) {
    const input = parseInput(withParticipants, req.body);
    res.status(201).json(await createPrivateChat(ctx, user, { participantIds: input.participant_ids, name: input.name, description: input.description }));
    return;
  }
  const input = parseInput(named, req.body);
  res.status(201).json(await createPrivateChat(ctx, user, { participantIds: [], alone: true, name: input.name, description: input.description }));
};
