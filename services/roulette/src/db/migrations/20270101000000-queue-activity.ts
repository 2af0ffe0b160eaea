import { sql, type Kysely } from 'kysely';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  // The last search, find or activity call of a searcher: one without a socket leaves when it is old.
  await db.schema.alterTable('queue').addColumn('active_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`)).execute();
  await db.schema.createIndex('queue_active_at').on('queue').column('active_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('queue').dropColumn('active_at').execute();
}
