import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

/** The moment before which a searcher's last call makes them idle. */
const idleSince = (idleMs: number) => sql<Date>`now() - ${idleMs} * interval '1 millisecond'`;

/**
 * Every change to who waits or who is paired takes this transaction lock first, on every instance,
 * so two searchers arriving together see each other instead of both waiting. The matcher takes it
 * once per batch (a crowd's searches together); chats are created after it is released.
 */
export async function lockMatching(trx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('chatroulette.roulette.matching'))`.execute(trx);
}

export async function isQueued(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom('queue').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** A searcher's search, find or activity call: they are still there. Returns whether they are queued. */
export async function touchSearch(db: Db, userId: string): Promise<boolean> {
  const res = await db.updateTable('queue').set({ active_at: sql`now()` }).where('user_id', '=', userId).executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Searchers with no search, find or activity call for `idleMs`, the longest idle first. */
export async function idleSearchers(db: Db, idleMs: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('queue')
    .select('user_id')
    .where('active_at', '<', idleSince(idleMs))
    .orderBy('active_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Removes those of `userIds` still idle (a call since they were read keeps them); returns who left. */
export async function dequeueIdle(db: Db, userIds: string[], idleMs: number): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .deleteFrom('queue')
    .where('user_id', 'in', userIds)
    .where('active_at', '<', idleSince(idleMs))
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/** Counts the searchers as active now (they have a socket: the grace rule governs them instead). */
export async function touchSearches(db: Db, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db.updateTable('queue').set({ active_at: sql`now()` }).where('user_id', 'in', userIds).execute();
}

/** Removes users from the queue; returns how many were there. */
export async function dequeue(db: Db, userIds: string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const res = await db.deleteFrom('queue').where('user_id', 'in', userIds).executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function queueSize(db: Db): Promise<number> {
  const row = await db.selectFrom('queue').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
