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
