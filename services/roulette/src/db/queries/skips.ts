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

export async function purgeExpiredSkips(db: Db, cooldownMs: number): Promise<void> {
  await db
    .deleteFrom('skips')
    .where(sql<boolean>`skipped_at <= now() - ${cooldownMs} * interval '1 millisecond'`)
    .execute();
}
