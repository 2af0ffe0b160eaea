import { z } from 'zod';
import { uuid } from '../../ids.js';
import { limits } from '../../limits.js';
import { messagesChatsSave, publicUser } from '../../requests.js';
import { noLineControl } from './text.js';

/**
 * One interest: a string, trimmed and lower-cased, 1 to maxInterestLength characters, no control
 * character. Refused here, not by the database: a search joins a batch with others' (the matcher),
 * and text the batch's statement cannot store would fail them all.
 */
const interest = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(limits.maxInterestLength, `must be at most ${limits.maxInterestLength} characters`)
  .refine(noLineControl, 'must not contain control characters');

/** Interests of a search, normalised, without duplicates. */
const interestList = z
  .array(interest)
  .max(limits.maxInterests, `must hold at most ${limits.maxInterests} interests`)
  .transform((list) => [...new Set(list)]);

/** Body of POST /chatroulette/search: optional, `{}` or no body is a search without interests. */
export const searchBody = z
  .object({ interests: interestList.optional() })
  .nullish()
  .transform((b) => ({ interests: b?.interests ?? [] }));

/** Body of POST /chatroulette/{chat_id}/skip: optional `{requeue, interests}`. */
export const skipBody = z
  .object({ requeue: z.boolean().optional(), interests: interestList.optional() })
  .nullish()
  .transform((b) => ({ requeue: b?.requeue ?? false, interests: b?.interests }));

const matched = z.object({ status: z.literal('matched'), chat_id: uuid, user: publicUser });
const states = [z.object({ status: z.literal('idle') }), z.object({ status: z.literal('searching') }), matched] as const;

/** Where a user is in the roulette: idle, searching, or matched with a partner in a chat. */
export const rouletteState = z.discriminatedUnion('status', states).meta({ id: 'RouletteState' });
export type RouletteState = z.infer<typeof rouletteState>;

/** The state with more fields beside it (one union, not an intersection: each object stays closed in the documents). */
function stateWith<S extends z.ZodRawShape>(shape: S) {
  return z.discriminatedUnion('status', [states[0].extend(shape), states[1].extend(shape), states[2].extend(shape)]);
}

/** 200 of a search that found a partner waiting. */
export const searchMatched = matched;
/** 202 of a search that waits in the queue. */
export const searchSearching = states[1];

const queueSize = z.number().int().nonnegative().meta({ description: 'Users waiting in the search queue' });

/** 200 of GET /chatroulette/status. */
export const rouletteStatus = stateWith({ queue_size: queueSize });

/** 200 of GET /swirl/find: the partner (`user_id`, `username`) and the chat, with our matched state. */
export const swirlFound = matched.extend({ user_id: uuid, username: z.string() });
/** 200 of POST /swirl/activity. */
export const swirlActivity = z.object({ message: z.string(), searching: z.boolean() });
/** 200 of GET /swirl/status: the original's `{queue_size, message}`, with our state beside them. */
export const swirlStatus = stateWith({ queue_size: queueSize, message: z.string() });
/** 200 of DELETE /swirl/clear and POST /swirl/{chat_id}/skip: the original's `{message}`, with our state beside it. */
export const swirlState = stateWith({ message: z.string() });
/** 200 of POST /swirl/{chat_id}/save. */
export const swirlSaved = messagesChatsSave.reply.extend({ message: z.string() });
