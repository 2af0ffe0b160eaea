import { z } from 'zod';
import { isoTime, uuid } from '../../ids.js';
import { limits } from '../../limits.js';
import { likesPayload } from '../../events.js';
import { messageObject } from '../../message.js';
import { digits, noControl, noLineControl } from './text.js';

/** The roulette's chats are named with it (messages' domain/chat.ts), so a name given by a user never contains it. */
const ROULETTE_NAME_WORD = /chatroulette/i;

/** A name given by a user: 1 to 100 characters, none a control character, and never the roulette's word (so it cannot pass for one). */
export const givenChatName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(limits.maxChatName, `must be at most ${limits.maxChatName} characters`)
  .refine(noLineControl, 'must not contain control characters')
  .refine((v) => !ROULETTE_NAME_WORD.test(v), 'must not contain "Chatroulette" (the roulette\'s chats are named so)');

export const givenChatDescription = z
  .string()
  .max(limits.maxChatDescription, `must be at most ${limits.maxChatDescription} characters`)
  .refine(noControl, 'must not contain control characters');

/** POST /chats, ours: the caller and the listed users, optionally named. */
export const createChatBody = z
  .object({
    type: z.literal('private').default('private'),
    participant_ids: z.array(uuid).min(1).max(limits.maxParticipants * 2),
    name: givenChatName.optional(),
    description: givenChatDescription.optional(),
  });

/** POST /chats, the original's: a named chat of the caller alone ("group" was its word for it; stored as private). */
export const createNamedChatBody = z
  .object({
    name: givenChatName,
    description: givenChatDescription.optional(),
    type: z.enum(['private', 'group']).default('private'),
  });

/** The chat as REST answers it: the contract's fields (`name` included) plus `description`, `status` and `last_seq`. */
export const chatObject = z
  .object({
    id: uuid,
    type: z.enum(['private', 'roulette', 'saved']),
    /** Never null: the name given at creation, the roulette's names, otherwise ''. */
    name: z.string(),
    description: z.string(),
    /** A roulette chat is closed for new messages once its match ended, unless saved. */
    status: z.enum(['open', 'closed']),
    created_by: uuid.nullable(),
    created_at: isoTime,
    /** The seq of the chat's latest event: where a socket opened with `since` continues. */
    last_seq: z.number().int().nonnegative(),
    participants: z.array(z.object({ user_id: uuid, username: z.string() })),
  })
  .meta({
    id: 'Chat',
    examples: [
      {
        id: '3f2b8c2e-1d4a-4c1e-9a61-2f5d7c9b0a11',
        type: 'private',
        name: '',
        description: '',
        status: 'open',
        created_by: '8e6f0c1e-5b7a-4d2c-9f10-3a4b5c6d7e8f',
        created_at: '2025-10-03T10:00:00.000Z',
        last_seq: 0,
        participants: [
          { user_id: '8e6f0c1e-5b7a-4d2c-9f10-3a4b5c6d7e8f', username: 'vasya' },
          { user_id: '0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f', username: 'petya' },
        ],
      },
    ],
  });
export type ChatObject = z.infer<typeof chatObject>;

/** A chat as GET /chats and GET /chats/{id} answer it to a participant (contract "Chat list extras"). */
export const readerChat = chatObject
  .extend({
    /** Live messages of others the caller has not marked read. */
    unread_count: z.number().int().nonnegative(),
    /** The newest live message (deleted ones are gone, as from the history), or null. */
    last_message: messageObject.nullable(),
  })
  .meta({ id: 'ReaderChat' });
export type ReaderChat = z.infer<typeof readerChat>;

/** The original product's pages: `page` from 1, `limit` 1 to `maxLimit` (default `defaultLimit`). */
export function legacyPageQuery(maxLimit: number, defaultLimit: number) {
  return z.object({
    page: digits(1_000_000).pipe(z.number().min(1)).default(1),
    limit: digits(maxLimit).pipe(z.number().min(1)).default(defaultLimit),
  });
}

/** GET /chats with a legacy token: `?page&limit`. */
export const legacyChatsQuery = legacyPageQuery(limits.maxChatsPage, 20);
/** GET /chats/{id}/messages with a legacy token: `?page&limit`. */
export const legacyHistoryQuery = legacyPageQuery(limits.maxHistoryPage, 50);

/** GET /chats/{id}/messages, ours: `?limit&offset&before`. */
export const historyQuery = z.object({
  limit: digits(limits.maxHistoryPage).pipe(z.number().min(1)).default(50),
  offset: digits(1_000_000).default(0),
  before: uuid.optional(),
});

/** 200 of GET /chats: ours an array, the original's (a legacy token) a page. */
export const chatList = z.union([
  z.array(readerChat).meta({ description: 'Ours: every chat of the caller, most recently active first' }),
  z
    .object({ chats: z.array(readerChat), page: z.number().int().positive(), limit: z.number().int().positive() })
    .meta({ description: 'The original product\'s page, for a legacy token: a roulette chat shown as private, closed ones left out' }),
]);

/** 200 of GET /chats/{id}/messages: ours an array oldest first, the original's (a legacy token) a page newest first. */
export const history = z.union([
  z.array(messageObject).meta({ description: 'Ours: oldest first within the page' }),
  z
    .object({ messages: z.array(messageObject), page: z.number().int().positive(), limit: z.number().int().positive() })
    .meta({ description: 'The original product\'s page, for a legacy token: newest first' }),
]);

/** 200 of DELETE /messages/{id}. */
export const deletedMessage = z.object({ message_id: uuid });

/** 200 of POST and DELETE /messages/{id}/like: the likes, and whether the caller now likes it. */
export const likeAnswer = likesPayload.extend({ is_liked: z.boolean() });

/** 200 of GET /messages/{id}/likes. */
export const likesAnswer = likesPayload.extend({ is_liked_by_user: z.boolean() });
