import { sql, type Kysely } from 'kysely';
import type { Database, Match } from '../schema.js';

type Db = Kysely<Database>;

const inMs = (ms: number) => sql<Date>`now() + ${ms} * interval '1 millisecond'`;

export interface NewMatch {
  id: string;
  a: { userId: string; interests: string[] };
  b: { userId: string; interests: string[] };
  retryAfterMs: number;
}

/** A pending match and its two active rows (their primary key keeps a user in one match). */
export async function insertMatch(db: Db, m: NewMatch): Promise<void> {
  await db
    .insertInto('matches')
    .values({ id: m.id, user_a: m.a.userId, user_b: m.b.userId, status: 'pending', retry_at: inMs(m.retryAfterMs) })
    .execute();
  await db
    .insertInto('active_matches')
    .values([
      { user_id: m.a.userId, match_id: m.id, interests: m.a.interests },
      { user_id: m.b.userId, match_id: m.id, interests: m.b.interests },
    ])
    .execute();
}

/** The live (pending or active) match of a user, with the interests of the search that made it. */
export async function liveMatchOf(db: Db, userId: string) {
  return db
    .selectFrom('active_matches as am')
    .innerJoin('matches as m', 'm.id', 'am.match_id')
    .selectAll('m')
    .select('am.interests')
    .where('am.user_id', '=', userId)
    .executeTakeFirst();
}

export async function matchById(db: Db, id: string): Promise<Match | undefined> {
  return db.selectFrom('matches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function matchByChat(db: Db, chatId: string): Promise<Match | undefined> {
  return db.selectFrom('matches').selectAll().where('chat_id', '=', chatId).executeTakeFirst();
}

export async function lockMatch(db: Db, id: string): Promise<Match | undefined> {
  return db.selectFrom('matches').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** pending -> active once the chat exists; false when someone else did it first or the match ended. */
export async function activateMatch(db: Db, id: string, chatId: string): Promise<boolean> {
  const res = await db
    .updateTable('matches')
    .set({ chat_id: chatId, status: 'active' })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** active -> ending: both users are free at once; the chat is closed after the commit. */
export async function beginEnd(
  db: Db,
  id: string,
  leaver: { id: string; username: string },
  retryAfterMs: number,
): Promise<void> {
  await db
    .updateTable('matches')
    .set({
      status: 'ending',
      ended_at: sql`now()`,
      left_user_id: leaver.id,
      left_username: leaver.username,
      retry_at: inMs(retryAfterMs),
    })
    .where('id', '=', id)
    .execute();
  await db.deleteFrom('active_matches').where('match_id', '=', id).execute();
}

export async function markEnded(db: Db, id: string): Promise<void> {
  await db.updateTable('matches').set({ status: 'ended' }).where('id', '=', id).where('status', '=', 'ending').execute();
}

/**
 * Leases pending and ending matches whose starter did not finish them in time (a crash, an outage),
 * so that exactly one instance retries each; the lease expires if that instance dies too.
 */
export async function leaseUnfinished(db: Db, leaseMs: number, limit: number): Promise<Match[]> {
  return db
    .updateTable('matches')
    .set({ retry_at: inMs(leaseMs) })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('matches')
        .select('id')
        .where('status', 'in', ['pending', 'ending'])
        .where('retry_at', '<=', sql<Date>`now()`)
        .orderBy('retry_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}
