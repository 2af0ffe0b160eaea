import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

/** When the user's suspension ends, if they are suspended now. */
export async function suspendedUntil(db: Db, userId: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom('suspensions')
    .select('suspended_until')
    .where('user_id', '=', userId)
    .where('suspended_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.suspended_until;
}

/** Suspends a user for `hours` from now (a suspension in force is replaced); returns its end. */
export async function suspend(db: Db, userId: string, hours: number, moderatorId: string | null): Promise<Date> {
  const row = await db
    .insertInto('suspensions')
    .values({ user_id: userId, suspended_until: sql<Date>`now() + ${hours} * interval '1 hour'`, moderator_id: moderatorId })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        suspended_until: (eb) => eb.ref('excluded.suspended_until'),
        moderator_id: (eb) => eb.ref('excluded.moderator_id'),
        created_at: sql<Date>`now()`,
      }),
    )
    .returning('suspended_until')
    .executeTakeFirstOrThrow();
  return row.suspended_until;
}

export async function lift(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('suspensions').where('user_id', '=', userId).execute();
}
