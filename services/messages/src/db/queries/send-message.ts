import { sql } from 'kysely';
import { prepared } from '@chatroulette/db';
import type { MessageRow } from '../schema.js';
import type { Db } from './db.js';

/** A message as the sender gives it; the database adds its seq, status and the rest. */
export type NewMessage = Omit<MessageRow, 'seq' | 'status' | 'is_edited' | 'edited_at' | 'delivered_at' | 'deleted_at'>;

/**
 * Stores a message and its new_message event in ONE statement (one round trip, one commit): the
 * chat's last_seq is bumped under its row lock, which is held to the commit, so seq order is commit
 * order. `framePrefix` is the client frame up to `"seq":`; the database appends the seq it gave.
 * Nothing is written, and undefined returned, when the chat is missing or closed, the sender is not
 * a participant, reply_to_id is not a live message of the chat, or the sender already stored a
 * message with this client_key: the caller finds out which.
 */
export async function insertMessageWithEvent(
  db: Db,
  m: NewMessage,
  framePrefix: string,
  headers: Record<string, string>,
): Promise<number | undefined> {
  const result = await sql<{ seq: number }>`${sql.raw(prepared('send_message'))}
    with chat as (
      update chats set last_seq = last_seq + 1, last_activity_at = ${m.created_at}
      where id = ${m.chat_id} and status = 'open'
        and exists (select 1 from chat_participants where chat_id = ${m.chat_id} and user_id = ${m.user_id})
        and (${m.reply_to_id}::uuid is null or exists (
          select 1 from messages where id = ${m.reply_to_id}::uuid and chat_id = ${m.chat_id} and deleted_at is null))
        and (${m.client_key}::text is null or not exists (
          select 1 from messages where chat_id = ${m.chat_id} and user_id = ${m.user_id} and client_key = ${m.client_key}::text))
      returning last_seq
    ), msg as (
      insert into messages (id, chat_id, seq, user_id, type, content, media_url, reply_to_id, client_key, created_at)
      select ${m.id}, ${m.chat_id}, chat.last_seq, ${m.user_id}, ${m.type}, ${m.content}, ${m.media_url},
             ${m.reply_to_id}::uuid, ${m.client_key}::text, ${m.created_at}
      from chat
      returning seq
    )
    insert into chat_events (chat_id, seq, type, frame, headers)
    select ${m.chat_id}, msg.seq, 'new_message', ${framePrefix} || msg.seq || '}',
           ${JSON.stringify(headers)}::jsonb || jsonb_build_object('Chat-Seq', msg.seq::text)
    from msg
    returning seq`.execute(db);
  const seq = result.rows[0]?.seq;
  return seq === undefined ? undefined : Number(seq);
}

/** The message a sender stored earlier under its own client key, if any. */
export async function findByClientKey(db: Db, chatId: string, userId: string, clientKey: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('chat_id', '=', chatId)
    .where('user_id', '=', userId)
    .where('client_key', '=', clientKey)
    .executeTakeFirst();
}
