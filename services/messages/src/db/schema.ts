import type { ColumnType, Generated, Selectable } from 'kysely';
import type { UserBlocksCopyTable } from '@chatroulette/blocks';
import type { MessageStatus, MessageType } from '@chatroulette/contracts';

export type ChatType = 'private' | 'roulette' | 'saved';
export type ChatStatus = 'open' | 'closed';

type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface ChatsTable {
  id: Generated<string>;
  type: ChatType;
  status: Generated<ChatStatus>;
  created_by: string | null;
  created_at: CreatedAt;
  /** Bumped by every new message: the order of GET /chats. */
  last_activity_at: Generated<Date>;
  /** The last seq given to an event of this chat; the row lock on it serialises a chat's events. */
  last_seq: Generated<number>;
  /** Idempotency key of a roulette chat (messages.chats.create). */
  roulette_key: string | null;
  /** Given at creation (the original's POST /chats); '' otherwise. Roulette and saved chats are named by their type. */
  name: Generated<string>;
  description: Generated<string>;
}

export interface ChatParticipantsTable {
  chat_id: string;
  user_id: string;
  username: string;
  joined_at: CreatedAt;
}

export interface MessagesTable {
  id: Generated<string>;
  chat_id: string;
  /** The seq of its new_message event: history order is commit order. */
  seq: number;
  user_id: string;
  type: MessageType;
  content: string;
  media_url: string;
  reply_to_id: string | null;
  /** The sender's own id for the message (client_message_id): retries with it store nothing new. */
  client_key: string | null;
  status: Generated<MessageStatus>;
  is_edited: Generated<boolean>;
  edited_at: Date | null;
  delivered_at: Date | null;
  deleted_at: Date | null;
  created_at: CreatedAt;
}

export interface MessageReadsTable {
  message_id: string;
  user_id: string;
  read_at: CreatedAt;
}

export interface MessageLikesTable {
  message_id: string;
  user_id: string;
  liked_at: CreatedAt;
}

/** The outbox: each row is the exact client frame of one chat event, published after commit. */
export interface ChatEventsTable {
  chat_id: string;
  seq: number;
  type: string;
  frame: string;
  headers: ColumnType<Record<string, string>, string, string>;
  created_at: CreatedAt;
  published_at: Date | null;
}

/** A sender's place in the send budget (db/queries/send-budget.ts). */
export interface SendBudgetsTable {
  user_id: string;
  /** When the sender's schedule is next free (GCRA's theoretical arrival time). */
  tat: Date;
  /** How many messages the last statement that wrote the row stored: its answer to that statement. */
  granted: number;
}

export interface Database {
  chats: ChatsTable;
  chat_participants: ChatParticipantsTable;
  messages: MessagesTable;
  message_reads: MessageReadsTable;
  message_likes: MessageLikesTable;
  chat_events: ChatEventsTable;
  send_budgets: SendBudgetsTable;
  /** The copy of auth's blocks (libs/blocks). */
  user_blocks: UserBlocksCopyTable;
}

export type MessageRow = Selectable<MessagesTable>;
