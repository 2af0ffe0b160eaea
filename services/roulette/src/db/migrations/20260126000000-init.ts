import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('queue')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey())
    .addColumn('interests', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('enqueued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('queue_enqueued_at').on('queue').column('enqueued_at').execute();

  await db.schema
    .createTable('matches')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_a', 'uuid', (c) => c.notNull())
    .addColumn('user_b', 'uuid', (c) => c.notNull())
    .addColumn('chat_id', 'uuid', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'active', 'ending', 'ended')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('left_user_id', 'uuid')
    .addColumn('left_username', 'text')
    .addColumn('retry_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('matches_not_self', sql`user_a <> user_b`)
    .execute();
  await db.schema
    .createIndex('matches_unfinished')
    .on('matches')
    .column('retry_at')
    .where(sql.ref('status'), 'in', ['pending', 'ending'])
    .execute();

  await db.schema
    .createTable('active_matches')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey())
    .addColumn('match_id', 'uuid', (c) => c.notNull().references('matches.id'))
    .addColumn('interests', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();
  await db.schema.createIndex('active_matches_match').on('active_matches').column('match_id').execute();

  await db.schema
    .createTable('skips')
    .addColumn('user_lo', 'uuid', (c) => c.notNull())
    .addColumn('user_hi', 'uuid', (c) => c.notNull())
    .addColumn('skipped_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('skips_pk', ['user_lo', 'user_hi'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('dedup_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('grace_deadlines')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('grace_deadlines_due').on('grace_deadlines').column('due_at').execute();
}
