import { sql, type RawBuilder } from 'kysely';
import { sendRateUnits, type SendRate } from '../../domain/send-rate.js';
import type { Db } from './db.js';

/**
 * The send budget, as a part of the send statements (no round trip of its own): each sender's row
 * in send_budgets holds `tat`, when its schedule is next free (GCRA's theoretical arrival time). A
 * message fits when `tat` is at most `aheadUs` past the clock; each one moves `tat` on by one
 * interval from max(tat, clock).
 *
 * `wanted` gives rows `(user_id uuid, n int)`: how many messages each sender asks to store. One
 * upsert takes what fits of each (`granted`, at most `n`), in user id order, so statements lock
 * senders' rows in one order. It returns `(user_id, granted, tat)`; a sender granted nothing has no
 * row, and its row is left untouched. The clock is read in the conflict's `where` and `set`, after
 * the row's lock is taken: a statement that waited for another sees the time it got the row, and
 * the newest `tat` (what holds the budget across instances: a count read at the statement's start
 * would miss what another instance committed meanwhile).
 */
export function takeSendTokens(rate: SendRate, wanted: RawBuilder<unknown>): RawBuilder<unknown> {
  const u = sendRateUnits(rate);
  const interval = sql`(${u.intervalUs}::bigint * interval '1 microsecond')`;
  const start = sql`greatest(s.tat, clock_timestamp())`;
  const fits = sql`least(excluded.granted,
    floor((extract(epoch from clock_timestamp() - ${start}) * 1000000 + ${u.aheadUs}::bigint) / ${u.intervalUs}::bigint)::int + 1)`;
  return sql`insert into send_budgets as s (user_id, tat, granted)
    select w.user_id, clock_timestamp() + least(w.n, ${u.burst}::int) * ${interval}, least(w.n, ${u.burst}::int)
    from (${wanted}) w order by w.user_id
    on conflict (user_id) do update set tat = ${start} + ${fits} * ${interval}, granted = ${fits}
    where ${fits} > 0
    returning s.user_id, s.granted, s.tat`;
}

/** For a refused send only: milliseconds until the sender's next message fits, from its `tat` (at least 1). */
export function sendRetryAfterMs(rate: SendRate, tat: RawBuilder<unknown>): RawBuilder<number> {
  const { aheadUs } = sendRateUnits(rate);
  return sql<number>`greatest(1, coalesce(ceil((extract(epoch from ${tat} - clock_timestamp()) * 1000000 - ${aheadUs}::bigint) / 1000), 1))::int`;
}

/** Rows whose `tat` has passed say nothing an absent row would not: the prune job drops them. */
export async function pruneSendBudgets(db: Db): Promise<number> {
  const result = await sql`delete from send_budgets where tat < clock_timestamp()`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
