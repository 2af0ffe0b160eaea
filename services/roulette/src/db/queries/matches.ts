import { sql, type Kysely } from 'kysely';
import type { Database, Match, OutboxRow } from '../schema.js';
import type { OutboxEvent } from './outbox.js';

type Db = Kysely<Database>;

const inMs = (ms: number) => sql<Date>`now() + ${ms} * interval '1 millisecond'`;

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

/**
 * pending -> active once each chat exists, with the events of the matches it moved added to the
 * outbox, in one statement (atomic without a transaction). Matches someone else finished first, or
 * that ended, are left alone and get no events. Returns the ids it moved and the outbox rows.
 */
export async function activateMatches(
  db: Db,
  chats: { matchId: string; chatId: string }[],
  events: (OutboxEvent & { matchId: string })[],
): Promise<{ activated: Set<string>; outbox: OutboxRow[] }> {
  if (chats.length === 0) return { activated: new Set(), outbox: [] };
  const moves = JSON.stringify(chats.map((c) => ({ id: c.matchId, chat_id: c.chatId })));
  const rows = JSON.stringify(events.map((e) => ({ match_id: e.matchId, subject: e.subject, body: e.body, dedup_id: e.dedupId })));
  const res = await sql<OutboxRow & { activated: string[] }>`
    with moved as (
      update matches m set chat_id = v.chat_id, status = 'active'
      from json_to_recordset(${moves}::json) as v(id uuid, chat_id uuid)
      where m.id = v.id and m.status = 'pending'
      returning m.id),
    added as (
      insert into outbox (subject, body, dedup_id)
      select e.subject, e.body, e.dedup_id from json_to_recordset(${rows}::json) as e(match_id uuid, subject text, body text, dedup_id text)
      where e.match_id in (select id from moved)
      returning *)
    select added.*, (select array_agg(id::text) from moved) as activated from added`.execute(db);
  const activated = new Set(res.rows[0]?.activated ?? []);
  return { activated, outbox: res.rows.map(({ activated: _, ...row }) => row) };
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
