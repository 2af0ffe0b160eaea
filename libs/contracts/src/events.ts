import type { MessageObject, MessageStatus } from './message.js';

/** Chat events: published on `chat.<chat_id>.<type>`, each numbered by the chat's event log (`seq`). */
export const chatEventTypes = [
  'new_message',
  'message_edited',
  'message_deleted',
  'message_status_update',
  'message_liked',
  'message_unliked',
  'chatroulette_left',
] as const;
export type ChatEventType = (typeof chatEventTypes)[number];

/** Events for one user, on `user.<user_id>.<type>`, delivered to every socket of that user. */
export const userEventTypes = ['chatroulette_match'] as const;
export type UserEventType = (typeof userEventTypes)[number];

export interface LikesPayload {
  message_id: string;
  likes_count: number;
  liked_by: string[];
  liked_at: string | null;
}

export interface ChatEventPayloads {
  new_message: MessageObject;
  message_edited: { id: string; content: string; status: 'edited'; is_edited: true; edited_at: string | null };
  message_deleted: { message_id: string };
  message_status_update: { message_id: string; status: MessageStatus; read_by: string[]; read_at: string | null };
  message_liked: LikesPayload;
  message_unliked: LikesPayload;
  chatroulette_left: { user_id: string; username: string };
}

export interface UserEventPayloads {
  chatroulette_match: {
    user: { id: string; username: string; is_online: boolean; last_seen: string | null };
    chat_id: string;
  };
}

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
