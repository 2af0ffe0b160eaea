import { sql, type Kysely } from 'kysely';
import { createUserBlocksCopyTable } from '@chatroulette/blocks';

// Frozen in time: never import app code here (libs/blocks' table is the same in every copy).
export async function up(db: Kysely<any>): Promise<void> {
  // The copy of auth's blocks: the matcher never pairs a blocked pair.
  await createUserBlocksCopyTable(db);

  await db.schema
    .createTable('suspensions')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey())
    .addColumn('suspended_until', 'timestamptz', (c) => c.notNull())
    // Null when the reports suspended the user; else the moderator who did.
    .addColumn('moderator_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('chat_id', 'uuid', (c) => c.notNull())
    .addColumn('reporter_id', 'uuid', (c) => c.notNull())
    .addColumn('reported_id', 'uuid', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('spam', 'harassment', 'nudity', 'underage', 'violence', 'other')`))
    .addColumn('details', 'text')
    // The chat's newest messages when the report was made, as they were: later edits and deletes do not reach it.
    .addColumn('messages', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'resolved')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by', 'uuid')
    .addUniqueConstraint('reports_once_per_chat', ['chat_id', 'reporter_id'])
    .execute();
  await sql`create index reports_open_by_reported on reports (reported_id, created_at) where status = 'open'`.execute(db);
  await db.schema.createIndex('reports_by_status').on('reports').columns(['status', 'created_at']).execute();

  // Every moderator's action, with who did it.
  await db.schema
    .createTable('moderation_actions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('moderator_id', 'uuid', (c) => c.notNull())
    .addColumn('moderator_username', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('suspended_until', 'timestamptz')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['moderation_actions', 'reports', 'suspensions', 'user_blocks']) await db.schema.dropTable(table).execute();
}
