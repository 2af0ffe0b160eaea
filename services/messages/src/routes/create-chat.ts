import type { RequestHandler } from 'express';
import { createChatBody, createNamedChatBody } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import { createPrivateChat } from '../use-cases/create-private-chat.js';
import type { MessagesContext } from '../context.js';

const hasParticipants = (body: unknown) =>
  typeof body === 'object' && body !== null && (body as Record<string, unknown>).participant_ids !== undefined;

/** POST /api/v1/chats: `{type, participant_ids, name?}` (ours) or `{name, description?, type}` (the original's) -> 201 chat */
export const createChatRoute = (ctx: MessagesContext): RequestHandler => async (req, res) => {
  const user = currentUser(req);
  if (hasParticipants(req.body)) {
    const input = parseInput(createChatBody, req.body);
    res.status(201).json(await createPrivateChat(ctx, user, { participantIds: input.participant_ids, name: input.name, description: input.description }));
    return;
  }
  const input = parseInput(createNamedChatBody, req.body);
  res.status(201).json(await createPrivateChat(ctx, user, { participantIds: [], alone: true, name: input.name, description: input.description }));
};
