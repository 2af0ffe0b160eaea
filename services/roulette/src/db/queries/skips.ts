import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

const ordered = (a: string, b: string) => (a < b ? { user_lo: a, user_hi: b } : { user_lo: b, user_hi: a });

export async function recordSkip(db: Db, a: string, b: string): Promise<void> {
  await db
    .insertInto('skips')
    .values(ordered(a, b))
    .onConflict((oc) => oc.columns(['user_lo', 'user_hi']).doUpdateSet({ skipped_at: sql`now()` }))
    .execute();
}

/** A where-clause on `queue`: the queued user is not in a skip cooldown with `userId`. */
export function notInCooldown(userId: string, cooldownMs: number) {
  return sql<boolean>`not exists (
    select 1 from skips s
    where s.user_lo = least(${userId}::uuid, queue.user_id)
      and s.user_hi = greatest(${userId}::uuid, queue.user_id)
      and s.skipped_at > now() - ${cooldownMs} * interval '1 millisecond')`;
}

/** Pairs among `userIds` still in a skip cooldown. */
export async function cooldownPairs(db: Db, userIds: string[], cooldownMs: number) {
  if (userIds.length < 2) return [];
  return db
    .selectFrom('skips')
    .select(['user_lo', 'user_hi'])
    .where('user_lo', 'in', userIds)
    .where('user_hi', 'in', userIds)
    .where(sql<boolean>`skipped_at > now() - ${cooldownMs} * interval '1 millisecond'`)
    .execute();
}

export async function purgeExpiredSkips(db: Db, cooldownMs: number): Promise<void> {
  await db
    .deleteFrom('skips')
    .where(sql<boolean>`skipped_at <= now() - ${cooldownMs} * interval '1 millisecond'`)
    .execute();
}
