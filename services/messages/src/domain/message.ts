import { toIso, type LikesPayload, type MessageObject, type MessageStatus, type MessageType, type ReadState } from '@chatroulette/contracts';
import { forbidden, notFound } from '@chatroulette/errors';

export interface StoredMessage {
  id: string;
  chat_id: string;
  user_id: string;
  type: MessageType;
  content: string;
  media_url: string;
  status: MessageStatus;
  is_edited: boolean;
  edited_at: Date | null;
  deleted_at: Date | null;
  created_at: Date;
}

export interface Read {
  user_id: string;
  read_at: Date;
}

export interface Like {
  user_id: string;
  liked_at: Date;
}

/** A deleted message is gone for every purpose: 404. */
export function assertLive<T extends { deleted_at: Date | null }>(message: T | undefined): T {
  if (!message || message.deleted_at) throw notFound('Message not found');
  return message;
}

export function assertAuthor(message: { user_id: string }, userId: string): void {
  if (message.user_id !== userId) throw forbidden('Only the author may do this');
}

/**
 * Status reflects the latest change: sent -> delivered (a receipt, only from `sent`),
 * then `read` or `edited`, whichever happened last. Only a read by someone other than the
 * author counts: reading one's own message changes nothing.
 */
export function isReadByOther(message: { user_id: string }, readerId: string): boolean {
  return message.user_id !== readerId;
}

export function readState(message: { id: string; status: MessageStatus }, reads: Read[]): ReadState {
  return {
    message_id: message.id,
    status: message.status,
    read_by: reads.map((r) => r.user_id),
    // The first read; reads come oldest first.
    read_at: toIso(reads[0]?.read_at),
  };
}

/** liked_at is the time of the latest like, null when nobody likes it. */
export function likesState(messageId: string, likes: Like[]): LikesPayload {
  return {
    message_id: messageId,
    likes_count: likes.length,
    liked_by: likes.map((l) => l.user_id),
    liked_at: toIso(likes.at(-1)?.liked_at),
  };
}

export function toMessageObject(message: StoredMessage, reads: Read[], likes: Like[], username: string): MessageObject {
  const r = readState(message, reads);
  const l = likesState(message.id, likes);
  return {
    id: message.id,
    chat_id: message.chat_id,
    user_id: message.user_id,
    type: message.type,
    content: message.content,
    media_url: message.media_url,
    status: message.status,
    is_edited: message.is_edited,
    edited_at: toIso(message.edited_at),
    read_at: r.read_at,
    read_by: r.read_by,
    likes_count: l.likes_count,
    liked_by: l.liked_by,
    liked_at: l.liked_at,
    created_at: message.created_at.toISOString(),
    user: { id: message.user_id, username },
  };
}
