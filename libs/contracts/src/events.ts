import { z } from 'zod';
import { isoTime, uuid } from './ids.js';
import { messageObject, messageStatuses } from './message.js';
import { publicUser } from './requests.js';

/** The likes of a message: message_liked and message_unliked, and the like routes' answers. */
export const likesPayload = z
  .object({
    message_id: uuid,
    likes_count: z.number().int().nonnegative(),
    liked_by: z.array(uuid),
    /** The latest like, null when nobody likes it. */
    liked_at: isoTime.nullable(),
  })
  .meta({ id: 'Likes' });
export type LikesPayload = z.infer<typeof likesPayload>;

/** Who read a message: message_status_update, and the read and status routes' answers. */
export const readStatePayload = z
  .object({
    message_id: uuid,
    status: z.enum(messageStatuses),
    read_by: z.array(uuid),
    /** The first read by another participant. */
    read_at: isoTime.nullable(),
  })
  .meta({ id: 'ReadState' });
export type ReadState = z.infer<typeof readStatePayload>;

/**
 * Chat events: published on `chat.<chat_id>.<type>`, each numbered by the chat's event log (`seq`),
 * each payload's schema here. A new chat event is one entry: its frame, its NATS subject and both
 * documents follow from it.
 */
export const chatEventPayloads = {
  new_message: messageObject,
  message_edited: z.object({ id: uuid, content: z.string(), status: z.literal('edited'), is_edited: z.literal(true), edited_at: isoTime.nullable() }),
  message_deleted: z.object({ message_id: uuid }),
  message_status_update: readStatePayload,
  message_liked: likesPayload,
  message_unliked: likesPayload,
  /** Who left the roulette chat (a skip, a block, the grace period). */
  chatroulette_left: z.object({ user_id: uuid, username: z.string() }),
};
export type ChatEventType = keyof typeof chatEventPayloads;
export const chatEventTypes = Object.keys(chatEventPayloads) as ChatEventType[];
export type ChatEventPayloads = { [T in ChatEventType]: z.infer<(typeof chatEventPayloads)[T]> };

/** Events for one user, on `user.<user_id>.<type>`, delivered to every socket of that user. */
export const userEventPayloads = {
  /** The partner of a new roulette match, and its chat. */
  chatroulette_match: z.object({ user: publicUser, chat_id: uuid }),
};
export type UserEventType = keyof typeof userEventPayloads;
export const userEventTypes = Object.keys(userEventPayloads) as UserEventType[];
export type UserEventPayloads = { [T in UserEventType]: z.infer<(typeof userEventPayloads)[T]> };

/** The exact frame a client receives; the NATS message body is this frame, so the gateway forwards bytes. */
export interface ChatEventFrame<T extends ChatEventType = ChatEventType> {
  type: T;
  chat_id: string;
  payload: ChatEventPayloads[T];
  seq: number;
}

export interface UserEventFrame<T extends UserEventType = UserEventType> {
  type: T;
  chat_id: string;
  payload: UserEventPayloads[T];
}

/** The schema of a chat event's frame: `{type, chat_id, payload, seq}`. */
export function chatEventFrameSchema<T extends ChatEventType>(type: T) {
  return z.object({ type: z.literal(type), chat_id: uuid, payload: chatEventPayloads[type], seq: z.number().int().positive() });
}

/** The schema of a user event's frame: `{type, chat_id, payload}`. */
export function userEventFrameSchema<T extends UserEventType>(type: T) {
  return z.object({ type: z.literal(type), chat_id: uuid, payload: userEventPayloads[type] });
}

export function chatEventFrame<T extends ChatEventType>(
  type: T,
  chatId: string,
  seq: number,
  payload: ChatEventPayloads[T],
): ChatEventFrame<T> {
  return { type, chat_id: chatId, payload, seq };
}

/** NATS headers carried beside an event body, so the gateway never parses the body. */
export const eventHeaders = {
  /** The chat's event sequence number. */
  seq: 'Chat-Seq',
  /** The author of a new_message, for delivery receipts. */
  author: 'Msg-Author',
  /** The message id of a new_message, for delivery receipts. */
  messageId: 'Msg-Id',
  /** JetStream's de-duplication id. */
  dedupId: 'Nats-Msg-Id',
} as const;
