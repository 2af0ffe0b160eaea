import { z } from 'zod';
import { isoTime, uuid } from './ids.js';

/**
 * Request/reply contracts between services: one schema for the request and one for the reply,
 * used by both sides (libs/nats validates them).
 */

/** Headers of a request's reply: an error reply carries its HTTP-like status, and the body `{error, code}`. */
export const replyHeaders = { status: 'Status' } as const;

/** A request's error reply. */
export const errorReply = z.object({ error: z.string(), code: z.string() });

/** A user as other users see them: the login answer, the roulette's partner. */
export const publicUser = z
  .object({
    id: uuid,
    username: z.string(),
    is_online: z.boolean(),
    last_seen: isoTime.nullable(),
  })
  .meta({
    id: 'PublicUser',
    examples: [{ id: '8e6f0c1e-5b7a-4d2c-9f10-3a4b5c6d7e8f', username: 'vasya', is_online: true, last_seen: '2025-10-03T10:00:00.000Z' }],
  });
export type PublicUser = z.infer<typeof publicUser>;

export const authKeysGet = {
  request: z.object({}).passthrough(),
  reply: z.object({
    keys: z.array(z.object({ kid: z.string(), alg: z.string(), public_key_pem: z.string() })),
  }),
};

export const authUsersGet = {
  request: z.object({ user_ids: z.array(uuid).min(1).max(1000) }),
  reply: z.object({ users: z.array(publicUser) }),
};

export const chatSummary = z.object({
  id: uuid,
  type: z.string(),
  /** Every chat object has one; '' from an instance of messages older than names (a rolling upgrade). */
  name: z.string().default(''),
  created_by: uuid.nullable(),
  created_at: isoTime,
  participants: z.array(z.object({ user_id: uuid, username: z.string() })),
});
export type ChatSummary = z.infer<typeof chatSummary>;

export const messagesChatsCreate = {
  request: z.object({
    type: z.enum(['roulette']),
    participant_ids: z.array(uuid).length(2),
    /** Idempotency: a retried request with the same key returns the same chat. */
    key: z.string().min(1).max(200),
  }),
  reply: z.object({ chat: chatSummary }),
};

/** The most chats one messages.chats.create_many takes. */
export const CREATE_MANY_MAX_CHATS = 500;

export const messagesChatsCreateMany = {
  request: z.object({
    chats: z
      .array(z.object({ participant_ids: z.array(uuid).length(2), key: z.string().min(1).max(200) }))
      .min(1)
      .max(CREATE_MANY_MAX_CHATS),
  }),
  /** In the request's order; null where messages.chats.create would answer 400 (an unknown user, the same user twice). */
  reply: z.object({ chats: z.array(chatSummary.nullable()) }),
};

export const messagesChatsMember = {
  request: z.object({ chat_id: uuid, user_id: uuid }),
  reply: z.object({
    is_member: z.boolean(),
    last_seq: z.number().int().nonnegative(),
    /** Who the chat's participants are (the gateway's live frames and partner presence); [] from an older messages. */
    participants: z.array(uuid).default([]),
    /** False once the chat has ended (an unsaved roulette chat after a leave); read with last_seq, in one row. */
    open: z.boolean().default(true),
  }),
};

export const messagesChatsEnd = {
  request: z.object({ chat_id: uuid, left_user_id: uuid, left_username: z.string() }),
  reply: z.object({ chat_id: uuid, closed: z.boolean(), seq: z.number().int() }),
};

export const messagesChatsSave = {
  request: z.object({ chat_id: uuid, user_id: uuid }),
  reply: z.object({ chat: chatSummary.extend({ type: z.literal('saved') }) }),
};

export const messagesEventsList = {
  request: z.object({
    chat_id: uuid,
    after_seq: z.number().int().nonnegative(),
    limit: z.number().int().min(1).max(1000).default(500),
  }),
  reply: z.object({
    /** Frames as the clients get them, each with its seq, oldest first. */
    events: z.array(z.object({ seq: z.number().int(), frame: z.string() })),
    /** The oldest seq still kept (0 when none is); `after_seq + 1 < first_seq` means events were lost to retention. */
    first_seq: z.number().int().nonnegative(),
    last_seq: z.number().int().nonnegative(),
  }),
};

/** Fire-and-forget from the gateway, batched: sockets of these users received these messages. */
export const messagesDeliveriesReport = z.object({
  receipts: z
    .array(z.object({ chat_id: uuid, message_id: uuid, user_id: uuid }))
    .min(1)
    .max(10_000),
});
export type DeliveryReceipt = z.infer<typeof messagesDeliveriesReport>['receipts'][number];

/** Published by the gateway on the first open and last close of a user's sockets on that gateway. */
export const presenceEvent = z.object({
  user_id: uuid,
  gateway_id: z.string().min(1).max(200),
  at: isoTime,
});
export type PresenceEvent = z.infer<typeof presenceEvent>;

/**
 * `user.<user_id>.presence`, published by auth when the user's state across every gateway changes:
 * online at the first socket anywhere, offline when the last one anywhere is gone (or its gateway died).
 */
export const userPresenceEvent = z.object({
  user_id: uuid,
  username: z.string(),
  is_online: z.boolean(),
  last_seen: isoTime.nullable(),
});
export type UserPresenceEvent = z.infer<typeof userPresenceEvent>;

/** Published by each gateway every few seconds; a gateway silent for 3 intervals is gone, and so is its presence. */
export const gatewayHeartbeat = z.object({
  gateway_id: z.string().min(1).max(200),
  at: isoTime,
  interval_ms: z.number().int().positive(),
});
export type GatewayHeartbeat = z.infer<typeof gatewayHeartbeat>;

