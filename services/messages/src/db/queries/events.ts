import { sql } from 'kysely';
import type { Db } from './db.js';

/** One chat event as stored in the outbox and published: the exact client frame and its NATS headers. */
export interface EventRow {
  chat_id: string;
  seq: number;
  type: string;
  frame: string;
  headers: Record<string, string>;
}

/** Stores one event and returns it as stored, so what is published is what the outbox holds. */
export async function insertEvent(db: Db, row: EventRow): Promise<EventRow> {
  const stored = await db
    .insertInto('chat_events')
    .values({ ...row, headers: JSON.stringify(row.headers) })
    .returning(['chat_id', 'seq', 'type', 'frame', 'headers'])
    .executeTakeFirstOrThrow();
  return { ...stored, seq: Number(stored.seq) };
}

export async function markPublished(db: Db, chatId: string, seqs: number[]) {
  if (seqs.length === 0) return;
  await db
    .updateTable('chat_events')
    .set({ published_at: sql<Date>`now()` })
    .where('chat_id', '=', chatId)
    .where('seq', 'in', seqs)
    .where('published_at', 'is', null)
    .execute();
}

export async function listEvents(db: Db, chatId: string, afterSeq: number, limit: number) {
  return db
    .selectFrom('chat_events')
    .select(['seq', 'frame'])
    .where('chat_id', '=', chatId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** The oldest seq still kept for the chat, 0 when none is. */
export async function firstSeq(db: Db, chatId: string): Promise<number> {
  const row = await db
    .selectFrom('chat_events')
    .select((eb) => eb.fn.min('seq').as('first'))
    .where('chat_id', '=', chatId)
    .executeTakeFirst();
  return Number(row?.first ?? 0);
}

/** How many events wait to be published, and for how long the oldest has (seconds, 0 when none). */
export async function outboxBacklog(db: Db): Promise<{ pending: number; oldestSeconds: number }> {
  const result = await sql<{ pending: number; oldest_seconds: number }>`
    select count(*)::int as pending, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest_seconds
    from chat_events where published_at is null`.execute(db);
  const row = result.rows[0];
  return { pending: Number(row?.pending ?? 0), oldestSeconds: Math.max(0, Number(row?.oldest_seconds ?? 0)) };
}

/** Events a crash left unpublished, locked so two relays never take the same rows. */
export async function lockUnpublished(db: Db, olderThanMs: number, limit: number) {
  const result = await sql<EventRow>`
    select chat_id, seq, type, frame, headers from chat_events
    where published_at is null and created_at < now() - make_interval(secs => ${olderThanMs / 1000})
    order by chat_id, seq
    for update skip locked
    limit ${limit}`.execute(db);
  return result.rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** Deletes published events beyond the last `keepCount` of each chat or older than `keepHours`. */
export async function pruneEvents(db: Db, keepCount: number, keepHours: number, batch = 5000): Promise<number> {
  const result = await sql`
    delete from chat_events where (chat_id, seq) in (
      select e.chat_id, e.seq from chat_events e join chats c on c.id = e.chat_id
      where e.published_at is not null
        and (e.seq <= c.last_seq - ${keepCount} or e.created_at < now() - make_interval(hours => ${keepHours}))
      limit ${batch}
    )`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
