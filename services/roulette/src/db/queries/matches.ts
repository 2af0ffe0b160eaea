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

/** Pending matches and their active rows, in two statements (the rows' primary key keeps a user in one match). */
export async function insertMatches(db: Db, ms: NewMatch[]): Promise<void> {
  if (ms.length === 0) return;
  await db
    .insertInto('matches')
    .values(ms.map((m) => ({ id: m.id, user_a: m.a.userId, user_b: m.b.userId, status: 'pending' as const, retry_at: inMs(m.retryAfterMs) })))
    .execute();
  await db
    .insertInto('active_matches')
    .values(
      ms.flatMap((m) => [
        { user_id: m.a.userId, match_id: m.id, interests: m.a.interests },
        { user_id: m.b.userId, match_id: m.id, interests: m.b.interests },
      ]),
    )
    .execute();
}

/** The live match id of each of `userIds` that has one. */
export async function liveMatchIdsOf(db: Db, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('active_matches').select(['user_id', 'match_id']).where('user_id', 'in', userIds).execute();
  return new Map(rows.map((r) => [r.user_id, r.match_id]));
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

export async function matchesByIds(db: Db, ids: string[]): Promise<Match[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('matches').selectAll().where('id', 'in', ids).execute();
}

export async function matchByChat(db: Db, chatId: string): Promise<Match | undefined> {
  return db.selectFrom('matches').selectAll().where('chat_id', '=', chatId).executeTakeFirst();
}

export async function lockMatch(db: Db, id: string): Promise<Match | undefined> {
  return db.selectFrom('matches').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** pending -> active once each chat exists; returns the ids it moved (not those someone else did first, nor ended ones). */
export async function activateMatches(db: Db, chats: { matchId: string; chatId: string }[]): Promise<Set<string>> {
  if (chats.length === 0) return new Set();
  const rows = await sql<{ id: string }>`
    update matches m set chat_id = v.chat_id, status = 'active'
    from unnest(${chats.map((c) => c.matchId)}::uuid[], ${chats.map((c) => c.chatId)}::uuid[]) as v(id, chat_id)
    where m.id = v.id and m.status = 'pending'
    returning m.id`.execute(db);
  return new Set(rows.rows.map((r) => r.id));
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
