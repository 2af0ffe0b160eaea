import { sql, type Kysely } from 'kysely';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Each sender's place in the send budget, updated by the send statements themselves. Unlogged: no
  // WAL for it (the message's own commit pays the fsync); a crash of PostgreSQL only refills every
  // budget. The rate-limiter rows of the sends budget in `budgets` expire on their own.
  await sql`create unlogged table send_budgets (
    user_id uuid primary key,
    tat timestamptz not null,
    granted integer not null
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table send_budgets`.execute(db);
}
