import { sql, type Selectable } from 'kysely';
import type { ChatStatus, ChatsTable, ChatType } from '../schema.js';
import { lastMessageId, unreadCount } from './chat-extras.js';
import type { Db } from './db.js';

export async function insertChat(db: Db, values: { type: ChatType; created_by: string | null; name?: string; description?: string }) {
  return db
    .insertInto('chats')
    .values({ type: values.type, created_by: values.created_by, name: values.name ?? '', description: values.description ?? '' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Inserts the roulette chats whose key no chat has yet, and their participants, in one statement
 * (in key order, so two batches lock alike); returns what it inserted.
 */
export async function insertRouletteChats(db: Db, chats: { key: string; members: { user_id: string; username: string }[] }[]) {
  if (chats.length === 0) return { chats: [], members: [] };
  const keys = chats.map((c) => c.key).sort();
  const members = JSON.stringify(chats.flatMap((c) => c.members.map((m) => ({ key: c.key, ...m }))));
  const res = await sql<Selectable<ChatsTable> & { members: { chat_id: string; user_id: string; username: string }[] }>`
    with made as (
      insert into chats (type, created_by, roulette_key)
      select 'roulette', null, key from unnest(${keys}::text[]) with ordinality as k(key, n) order by n
      on conflict (roulette_key) do nothing
      returning *),
    joined as (
      insert into chat_participants (chat_id, user_id, username)
      select made.id, m.user_id, m.username
      from made join json_to_recordset(${members}::json) as m(key text, user_id uuid, username text) on m.key = made.roulette_key
      returning chat_id, user_id, username)
    select made.*, (select coalesce(json_agg(joined), '[]') from joined) as members from made`.execute(db);
  return { chats: res.rows.map(({ members: _, ...chat }) => chat), members: res.rows[0]?.members ?? [] };
}

export async function insertParticipants(db: Db, chatId: string, users: { user_id: string; username: string }[]) {
  await db
    .insertInto('chat_participants')
    .values(users.map((u) => ({ chat_id: chatId, user_id: u.user_id, username: u.username })))
    .execute();
}

export async function findChat(db: Db, chatId: string) {
  return db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirst();
}

export async function findChatsByKeys(db: Db, keys: string[]) {
  if (keys.length === 0) return [];
  return db.selectFrom('chats').selectAll().where('roulette_key', 'in', keys).execute();
}

/** Takes the chat's row lock first, so every transaction of a chat locks in the same order. */
export async function lockChat(db: Db, chatId: string) {
  return db.selectFrom('chats').selectAll().where('id', '=', chatId).forUpdate().executeTakeFirst();
}

/** Takes the chat's next seq (under its row lock, held to the commit). */
export async function bumpSeq(db: Db, chatId: string): Promise<number> {
  const row = await db
    .updateTable('chats')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('id', '=', chatId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return row.last_seq;
}

export async function setChatStatus(db: Db, chatId: string, status: ChatStatus) {
  await db.updateTable('chats').set({ status }).where('id', '=', chatId).execute();
}

export async function setChatType(db: Db, chatId: string, type: ChatType) {
  return db.updateTable('chats').set({ type }).where('id', '=', chatId).returningAll().executeTakeFirstOrThrow();
}

export async function participantsOf(db: Db, chatIds: string[]) {
  if (chatIds.length === 0) return [];
  return db
    .selectFrom('chat_participants')
    .select(['chat_id', 'user_id', 'username'])
    .where('chat_id', 'in', chatIds)
    .orderBy('chat_id')
    .orderBy('joined_at')
    .orderBy('user_id')
    .execute();
}

export async function isParticipant(db: Db, chatId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('chat_participants')
    .select('user_id')
    .where('chat_id', '=', chatId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The user's chats, newest activity first, each with its last live message's id and the user's
 * unread count (chat-extras.ts), in one statement for the page: PostgreSQL computes those two
 * subqueries only for the rows the page keeps. `withoutClosedRoulette` leaves out the roulette chats
 * that ended unsaved.
 */
export async function chatsOfUser(db: Db, userId: string, page: { limit: number; offset: number; withoutClosedRoulette: boolean }) {
  const chatId = sql.ref<string>('chats.id');
  let q = db
    .selectFrom('chats')
    .innerJoin('chat_participants as p', 'p.chat_id', 'chats.id')
    .selectAll('chats')
    .select([lastMessageId(chatId).as('last_message_id'), unreadCount(chatId, userId).as('unread_count')])
    .where('p.user_id', '=', userId);
  if (page.withoutClosedRoulette) q = q.where((eb) => eb.not(eb.and([eb('chats.type', '=', 'roulette'), eb('chats.status', '=', 'closed')])));
  return q
    .orderBy('chats.last_activity_at', 'desc')
    .orderBy('chats.created_at', 'desc')
    .orderBy('chats.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}
