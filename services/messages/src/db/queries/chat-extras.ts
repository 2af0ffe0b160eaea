import { sql, type Expression, type RawBuilder } from 'kysely';
import type { Db } from './db.js';

/*
 * What a chat shows its participant beside itself (the contract's "Chat list extras"), as
 * expressions of the chat's id, so the chat list computes them for its whole page in its own
 * statement (chatsOfUser). Both read the live messages of the chat through messages_live_idx
 * (chat_id, seq) include (user_id, id) where deleted_at is null; the reads through message_reads'
 * primary key (message_id, user_id). A deleted message is gone: it is never the last message and
 * never unread.
 */

/** The id of the chat's newest live message, or null. */
export function lastMessageId(chatId: Expression<string> | RawBuilder<string>): RawBuilder<string | null> {
  return sql<string | null>`(select m.id from messages m where m.chat_id = ${chatId} and m.deleted_at is null order by m.seq desc limit 1)`;
}

/** Live messages of the chat by others than `userId` that `userId` has not marked read. */
export function unreadCount(chatId: Expression<string> | RawBuilder<string>, userId: string): RawBuilder<number> {
  return sql<number>`(select count(*)::int from messages m
    where m.chat_id = ${chatId} and m.deleted_at is null and m.user_id <> ${userId}
      and not exists (select 1 from message_reads r where r.message_id = m.id and r.user_id = ${userId}))`;
}

/** Both, for one chat (GET /chats/{id}). */
export async function chatExtras(db: Db, chatId: string, userId: string) {
  const chat = sql<string>`${chatId}::uuid`;
  const result = await sql<{ last_message_id: string | null; unread_count: number }>`
    select ${lastMessageId(chat)} as last_message_id, ${unreadCount(chat, userId)} as unread_count`.execute(db);
  return result.rows[0]!;
}

/** Messages by id, in no order (the last messages of a page of chats). */
export async function messagesByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('messages').selectAll().where('id', 'in', ids).execute();
}
