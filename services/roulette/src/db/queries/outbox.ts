import type { Kysely } from 'kysely';
import type { Database, OutboxRow } from '../schema.js';

type Db = Kysely<Database>;

export interface OutboxEvent {
  subject: string;
  body: string;
  dedupId: string;
}

/**
 * Takes rows to publish out of the outbox (the given ones, or the oldest `limit`): deleted in the
 * caller's transaction, so they stay locked (no other instance takes them) until it commits after
 * publishing, and come back if it rolls back.
 */
export async function takeFromOutbox(db: Db, opts: { ids?: number[]; limit: number }): Promise<OutboxRow[]> {
  if (opts.ids?.length === 0) return [];
  return db
    .deleteFrom('outbox')
    .where('id', 'in', (eb) => {
      let q = eb.selectFrom('outbox').select('id').orderBy('id').limit(opts.limit).forUpdate().skipLocked();
      if (opts.ids) q = q.where('id', 'in', opts.ids);
      return q;
    })
    .returningAll()
    .execute();
}

/** Events not yet published (rows are deleted once published). */
export async function outboxSize(db: Db): Promise<number> {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
