import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

/** Starts (or restarts) the grace period of a user who is searching or matched; others have nothing to lose. */
export async function startGrace(db: Db, user: { id: string; username: string }, graceMs: number): Promise<void> {
  await sql`
    insert into grace_deadlines (user_id, username, due_at)
    select ${user.id}::uuid, ${user.username}, now() + ${graceMs} * interval '1 millisecond'
    where exists (select 1 from queue where user_id = ${user.id}::uuid)
       or exists (select 1 from active_matches where user_id = ${user.id}::uuid)
    on conflict (user_id) do update set username = excluded.username, due_at = excluded.due_at`.execute(db);
}

export async function cancelGrace(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('grace_deadlines').where('user_id', '=', userId).execute();
}

/** Leases due deadlines (pushes them `leaseMs` ahead) so one instance acts on each; a crash lets them come back. */
export async function leaseDueDeadlines(db: Db, leaseMs: number, limit: number) {
  return db
    .updateTable('grace_deadlines')
    .set({ due_at: sql`now() + ${leaseMs} * interval '1 millisecond'` })
    .where('user_id', 'in', (eb) =>
      eb
        .selectFrom('grace_deadlines')
        .select('user_id')
        .where('due_at', '<=', sql<Date>`now()`)
        .orderBy('due_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['user_id', 'username', 'due_at'])
    .execute();
}

/** Drops a deadline unless a newer offline event has set it again since it was leased. */
export async function dropDeadline(db: Db, userId: string, leasedDueAt: Date): Promise<void> {
  await db.deleteFrom('grace_deadlines').where('user_id', '=', userId).where('due_at', '=', leasedDueAt).execute();
}
