import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

/** Milliseconds until the latest lock among `keys` ends (database clock), 0 when none holds. */
export async function lockedForMs(db: Db, keys: string[]): Promise<number> {
  const row = await db
    .selectFrom('login_failures')
    .select(sql<string | null>`max(extract(epoch from (locked_until - now())) * 1000)`.as('ms'))
    .where('key', 'in', keys)
    .where('locked_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.ms ? Math.max(0, Math.ceil(Number(row.ms))) : 0;
}

/**
 * Reserves one attempt for `key` before its password is checked, in one statement: counts it as a
 * failure (a success clears it afterwards) and, at `free` or more, locks the key for `firstDelayS`, twice that ...
 * up to `maxDelayS` from now, unless the key is locked already, in which case nothing changes and
 * null comes back. Concurrent attempts queue on the row, so no more than `free` of a burst get through
 * before the lock: each sees the count the previous one left.
 */
export async function reserveAttempt(
  db: Db,
  key: string,
  rules: { free: number; firstDelayS: number; maxDelayS: number; windowS: number },
): Promise<number | null> {
  const { free, firstDelayS, maxDelayS, windowS } = rules;
  const lockAfter = (n: ReturnType<typeof sql>) =>
    sql`case when ${n} >= ${free}::int then now() + make_interval(secs => least(${maxDelayS}::float8, ${firstDelayS}::float8 * power(2, least(${n} - ${free}::int, 30)))) end`;
  const next = sql`(case when f.last_failure_at < now() - make_interval(secs => ${windowS}) then 1 else f.failures + 1 end)`;
  const res = await sql<{ failures: number }>`
    insert into login_failures as f (key, failures, last_failure_at, locked_until)
    values (${key}, 1, now(), ${lockAfter(sql`1`)})
    on conflict (key) do update set failures = ${next}, last_failure_at = now(), locked_until = ${lockAfter(next)}
    where f.locked_until is null or f.locked_until <= now()
    returning failures`.execute(db);
  return res.rows[0]?.failures ?? null;
}

/**
 * Counts one more failure for `key`, atomically (two instances may count at once), starting again
 * from 1 when the previous failure is older than `windowS`. Returns the count after this one.
 */
export async function addFailure(db: Db, key: string, windowS: number): Promise<number> {
  const row = await db
    .insertInto('login_failures')
    .values({ key, failures: 1, last_failure_at: sql<Date>`now()`, locked_until: null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when login_failures.last_failure_at < now() - make_interval(secs => ${windowS}) then 1 else login_failures.failures + 1 end`,
        last_failure_at: sql<Date>`now()`,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return row.failures;
}

/** Locks `key` for `ms` from now (never shortens a later lock). */
export async function lockFor(db: Db, key: string, ms: number): Promise<void> {
  await db
    .updateTable('login_failures')
    .set({ locked_until: sql<Date>`greatest(coalesce(locked_until, now()), now() + make_interval(secs => ${ms / 1000}))` })
    .where('key', '=', key)
    .execute();
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_failures').where('key', '=', key).execute();
}

/** Forgets keys whose last failure is older than `windowS` and that are not locked any more. */
export async function pruneFailures(db: Db, windowS: number): Promise<void> {
  await db
    .deleteFrom('login_failures')
    .where('last_failure_at', '<', sql<Date>`now() - make_interval(secs => ${windowS})`)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
    .execute();
}
