import type { ChatObject, MessageObject } from '@chatroulette/contracts';
import type { ChatStatus, ChatType } from '../db/schema.js';
import { chatName } from './chat.js';

export interface ChatRecord {
  id: string;
  type: ChatType;
  status: ChatStatus;
  name: string;
  description: string;
  created_by: string | null;
  created_at: Date;
  last_seq: number;
}

/** The chat as REST answers it: the contract's fields (`name` included) plus `description`, `status` and `last_seq`. */
export function chatView(chat: ChatRecord, participants: { user_id: string; username: string }[]): ChatObject {
  return {
    id: chat.id,
    type: chat.type,
    name: chatName(chat),
    description: chat.description,
    status: chat.status,
    created_by: chat.created_by,
    created_at: chat.created_at.toISOString(),
    last_seq: chat.last_seq,
    participants: participants.map((p) => ({ user_id: p.user_id, username: p.username })),
  };
}

export type ChatView = ChatObject;

/**
 * A chat as GET /chats and GET /chats/{id} answer it to one participant: also the number of live
 * messages of others that participant has not marked read, and the newest live message (null when
 * there is none: deleted messages are gone, as from the history).
 */
export function chatForParticipant(chat: ChatView, extras: { unread_count: number; last_message: MessageObject | null }) {
  return { ...chat, unread_count: extras.unread_count, last_message: extras.last_message };
}

/**
 * A chat in the original product's list (GET /chats with a legacy token): its roulette chats were
 * private ones (a saved one `saved`). Closed roulette chats are left out before this.
 */
export function legacyChatView<T extends ChatView>(chat: T): T {
  return chat.type === 'roulette' ? { ...chat, type: 'private' } : chat;
}
