/**
 * The matcher batch's statements (use-cases/pair-crowd.ts), each doing several queries' work in one
 * round trip: the batch holds the matching lock, so every trip it saves shortens the wait of the
 * searches behind it.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

export interface NewMatch {
  id: string;
  /** The one who waited longer. */
  a: { userId: string; interests: string[] };
  b: { userId: string; interests: string[] };
}

/**
 * Of `userIds`: the suspended (when it ends), those in a live match (its id), and the others
 * already queued, counted as active now (a second search, a find).
 */
export async function searchersNow(db: Db, userIds: string[]) {
  const res = await sql<{ user_id: string; suspended_until: Date | null; match_id: string | null; queued: boolean }>`
    with suspended as (
      select user_id, suspended_until from suspensions where user_id = any(${userIds}::uuid[]) and suspended_until > now()),
    live as (
      select user_id, match_id from active_matches where user_id = any(${userIds}::uuid[])),
    touched as (
      update queue set active_at = now()
      where user_id = any(${userIds}::uuid[])
        and user_id not in (select user_id from suspended) and user_id not in (select user_id from live)
      returning user_id)
    select user_id, suspended_until, null::uuid as match_id, false as queued from suspended
    union all select user_id, null, match_id, false from live
    union all select user_id, null, null, true from touched`.execute(db);
  return {
    suspended: new Map(res.rows.filter((r) => r.suspended_until).map((r) => [r.user_id, r.suspended_until!])),
    live: new Map(res.rows.filter((r) => r.match_id).map((r) => [r.user_id, r.match_id!])),
    queued: new Set(res.rows.filter((r) => r.queued).map((r) => r.user_id)),
  };
}

/**
 * The oldest `limit` of the queue that are neither idle nor suspended (oldest first), and the pairs
 * among them and `freshIds` kept apart: a skip within `cooldownMs`, a block either way.
 */
export async function waitingAndApart(db: Db, opts: { freshIds: string[]; limit: number; idleMs: number; cooldownMs: number }) {
  const res = await sql<{ waiting: { user_id: string; interests: string[]; waited_ms: number }[]; apart: [string, string][] }>`
    with waiting as (
      select user_id, interests, enqueued_at, (extract(epoch from (now() - enqueued_at)) * 1000)::float8 as waited_ms
      from queue q
      where active_at >= now() - ${opts.idleMs} * interval '1 millisecond'
        and not exists (select 1 from suspensions s where s.user_id = q.user_id and s.suspended_until > now())
      order by enqueued_at, user_id
      limit ${opts.limit}),
    ids as (
      select user_id from waiting union select unnest(${opts.freshIds}::uuid[])),
    apart as (
      select user_lo as x, user_hi as y from skips
      where user_lo in (select user_id from ids) and user_hi in (select user_id from ids)
        and skipped_at > now() - ${opts.cooldownMs} * interval '1 millisecond'
      union all
      select blocker_id, blocked_id from user_blocks
      where blocked and blocker_id in (select user_id from ids) and blocked_id in (select user_id from ids))
    select
      (select coalesce(json_agg(json_build_object('user_id', user_id, 'interests', interests, 'waited_ms', waited_ms) order by enqueued_at, user_id), '[]') from waiting) as waiting,
      (select coalesce(json_agg(json_build_array(x, y)), '[]') from apart) as apart`.execute(db);
  return res.rows[0]!;
}

/**
 * The batch's writes in one statement: the paired waiting users leave the queue, the unpaired fresh
 * searchers join it in arrival order (one statement's now() is the same for every row, so each is a
 * microsecond after the one before), and the matches are written pending with their active rows
 * (whose primary key keeps a user in one match).
 */
export async function writeBatch(db: Db, w: { dequeue: string[]; enqueue: { userId: string; interests: string[] }[]; matches: NewMatch[]; retryAfterMs: number }) {
  const queued = JSON.stringify(w.enqueue.map((s, i) => ({ user_id: s.userId, interests: s.interests, ord: i })));
  const matches = JSON.stringify(w.matches.map((m) => ({ id: m.id, user_a: m.a.userId, user_b: m.b.userId, a_interests: m.a.interests, b_interests: m.b.interests })));
  await sql`
    with gone as (
      delete from queue where user_id = any(${w.dequeue}::uuid[])),
    joined as (
      insert into queue (user_id, interests, enqueued_at, active_at)
      select user_id, interests, now() + ord * interval '1 microsecond', now()
      from json_to_recordset(${queued}::json) as e(user_id uuid, interests text[], ord int)
      on conflict (user_id) do nothing),
    made as (
      insert into matches (id, user_a, user_b, status, retry_at)
      select id, user_a, user_b, 'pending', now() + ${w.retryAfterMs} * interval '1 millisecond'
      from json_to_recordset(${matches}::json) as m(id uuid, user_a uuid, user_b uuid))
    insert into active_matches (user_id, match_id, interests)
    select user_a, id, a_interests from json_to_recordset(${matches}::json) as m(id uuid, user_a uuid, a_interests text[])
    union all
    select user_b, id, b_interests from json_to_recordset(${matches}::json) as m(id uuid, user_b uuid, b_interests text[])`.execute(db);
}
