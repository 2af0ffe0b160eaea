import type { Kysely } from 'kysely';
import type { Database, OutboxRow } from '../schema.js';

type Db = Kysely<Database>;

export interface OutboxEvent {
  subject: string;
  body: string;
  dedupId: string;
}

export async function addToOutbox(db: Db, events: OutboxEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const rows = await db
    .insertInto('outbox')
    .values(events.map((e) => ({ subject: e.subject, body: e.body, dedup_id: e.dedupId })))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Rows to publish, locked so that no other instance publishes them at the same time. */
export async function lockOutbox(db: Db, opts: { ids?: number[]; limit: number }): Promise<OutboxRow[]> {
  let q = db.selectFrom('outbox').selectAll().orderBy('id').limit(opts.limit).forUpdate().skipLocked();
  if (opts.ids) {
    if (opts.ids.length === 0) return [];
    q = q.where('id', 'in', opts.ids);
  }
  return q.execute();
}

export async function deleteFromOutbox(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('outbox').where('id', 'in', ids).execute();
}

/** Events not yet published (rows are deleted once published). */
export async function outboxSize(db: Db): Promise<number> {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
