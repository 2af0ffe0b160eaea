import { sql, type Kysely } from 'kysely';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('username_key', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('is_online', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('last_seen', 'timestamptz')
    .addColumn('display_name', 'text')
    .addColumn('bio', 'text')
    .addColumn('avatar_url', 'text')
    .execute();
  await db.schema.createIndex('users_username_key').unique().on('users').column('username_key').execute();

  await db.schema
    .createTable('presence')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('gateway_id', 'text', (c) => c.notNull())
    .addColumn('online', 'boolean', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('presence_pkey', ['user_id', 'gateway_id'])
    .execute();
  await db.schema.createIndex('presence_gateway').on('presence').column('gateway_id').execute();

  await db.schema
    .createTable('gateways')
    .addColumn('gateway_id', 'text', (c) => c.primaryKey())
    .addColumn('last_heartbeat', 'timestamptz', (c) => c.notNull())
    .addColumn('interval_ms', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('private_key_pem', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['signing_keys', 'gateways', 'presence', 'users']) await db.schema.dropTable(table).execute();
}
