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
 * What one batch reads, in one statement. Of `userIds` (the batch's searchers): the suspended (until
 * when), those in a live match (its id), and those already queued, counted as active now (a second
 * search, a find); the others are fresh. Then the oldest `limit` of the queue that are neither idle
 * nor suspended (oldest first; as the statement began: a searcher it counted as active but found
 * idle waits for the next batch), and the pairs among them and the fresh kept apart: a skip within
 * `cooldownMs`, a block either way.
 */
export async function readBatch(db: Db, opts: { userIds: string[]; limit: number; idleMs: number; cooldownMs: number }) {
  const res = await sql<{
    suspended: { user_id: string; until: string }[];
    live: { user_id: string; match_id: string }[];
    queued: string[];
    waiting: { user_id: string; interests: string[]; waited_ms: number }[];
    apart: [string, string][];
  }>`
    with asked as (
      select unnest(${opts.userIds}::uuid[]) as user_id),
    suspended as (
      select user_id, suspended_until from suspensions where user_id in (select user_id from asked) and suspended_until > now()),
    live as (
      select user_id, match_id from active_matches where user_id in (select user_id from asked)),
    touched as (
      update queue set active_at = now()
      where user_id in (select user_id from asked)
        and user_id not in (select user_id from suspended) and user_id not in (select user_id from live)
      returning user_id),
    fresh as (
      select user_id from asked
      except select user_id from suspended except select user_id from live except select user_id from queue),
    waiting as (
      select user_id, interests, enqueued_at, (extract(epoch from (now() - enqueued_at)) * 1000)::float8 as waited_ms
      from queue q
      where active_at >= now() - ${opts.idleMs} * interval '1 millisecond'
        and not exists (select 1 from suspensions s where s.user_id = q.user_id and s.suspended_until > now())
      order by enqueued_at, user_id
      limit ${opts.limit}),
    ids as (
      select user_id from waiting union select user_id from fresh),
    apart as (
      select user_lo as x, user_hi as y from skips
      where user_lo in (select user_id from ids) and user_hi in (select user_id from ids)
        and skipped_at > now() - ${opts.cooldownMs} * interval '1 millisecond'
      union all
      select blocker_id, blocked_id from user_blocks
      where blocked and blocker_id in (select user_id from ids) and blocked_id in (select user_id from ids))
    select
      (select coalesce(json_agg(json_build_object('user_id', user_id, 'until', suspended_until)), '[]') from suspended) as suspended,
      (select coalesce(json_agg(json_build_object('user_id', user_id, 'match_id', match_id)), '[]') from live) as live,
      (select coalesce(json_agg(user_id), '[]') from touched) as queued,
      (select coalesce(json_agg(json_build_object('user_id', user_id, 'interests', interests, 'waited_ms', waited_ms) order by enqueued_at, user_id), '[]') from waiting) as waiting,
      (select coalesce(json_agg(json_build_array(x, y)), '[]') from apart) as apart`.execute(db);
  const r = res.rows[0]!;
  return {
    suspended: new Map(r.suspended.map((s) => [s.user_id, new Date(s.until)])),
    live: new Map(r.live.map((l) => [l.user_id, l.match_id])),
    queued: new Set(r.queued),
    waiting: r.waiting,
    apart: r.apart,
  };
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
