import { sql } from 'kysely';
import type { Db } from './db.js';

/** A message, deleted or not: callers decide what a deleted one means. */
export async function findMessage(db: Db, id: string) {
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findMessageInChat(db: Db, chatId: string, id: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('id', '=', id)
    .where('chat_id', '=', chatId)
    .executeTakeFirst();
}

/** The newest `limit` live messages before the cursor (skipping `offset`), returned oldest first unless `newestFirst` (the original's order). */
export async function historyPage(db: Db, chatId: string, page: { limit: number; offset: number; beforeSeq?: number | undefined; newestFirst?: boolean }) {
  let q = db
    .selectFrom('messages')
    .selectAll()
    .where('chat_id', '=', chatId)
    .where('deleted_at', 'is', null);
  if (page.beforeSeq !== undefined) q = q.where('seq', '<', page.beforeSeq);
  const rows = await q.orderBy('seq', 'desc').limit(page.limit).offset(page.offset).execute();
  return page.newestFirst ? rows : rows.reverse();
}

export async function editMessage(db: Db, id: string, content: string) {
  return db
    .updateTable('messages')
    .set({ content, status: 'edited', is_edited: true, edited_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function softDeleteMessage(db: Db, id: string) {
  await db
    .updateTable('messages')
    .set({ status: 'deleted', deleted_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function setMessageStatus(db: Db, id: string, status: 'read') {
  await db.updateTable('messages').set({ status }).where('id', '=', id).execute();
}

/** True when this read is new. */
export async function insertRead(db: Db, messageId: string, userId: string): Promise<boolean> {
  const row = await db
    .insertInto('message_reads')
    .values({ message_id: messageId, user_id: userId })
    .onConflict((oc) => oc.columns(['message_id', 'user_id']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** True when this like is new. */
export async function insertLike(db: Db, messageId: string, userId: string): Promise<boolean> {
  const row = await db
    .insertInto('message_likes')
    .values({ message_id: messageId, user_id: userId })
    .onConflict((oc) => oc.columns(['message_id', 'user_id']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** True when a like was removed. */
export async function deleteLike(db: Db, messageId: string, userId: string): Promise<boolean> {
  const row = await db
    .deleteFrom('message_likes')
    .where('message_id', '=', messageId)
    .where('user_id', '=', userId)
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function readsOf(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom('message_reads')
    .select(['message_id', 'user_id', 'read_at'])
    .where('message_id', 'in', messageIds)
    .orderBy('read_at')
    .orderBy('user_id')
    .execute();
}

export async function likesOf(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom('message_likes')
    .select(['message_id', 'user_id', 'liked_at'])
    .where('message_id', 'in', messageIds)
    .orderBy('liked_at')
    .orderBy('user_id')
    .execute();
}
