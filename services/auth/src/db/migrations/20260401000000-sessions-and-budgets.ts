import { sql, type Kysely } from 'kysely';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Tokens issued before this second (epoch seconds) are revoked: raised by a password change.
  await db.schema.alterTable('users').addColumn('tokens_valid_from', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  // rate-limiter-flexible's RateLimiterPostgres table, created here so the library never runs DDL.
  await db.schema
    .createTable('auth_budgets')
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expire', 'bigint')
    .execute();
  await sql`create index auth_budgets_expire on auth_budgets (expire)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('auth_budgets').execute();
  await db.schema.alterTable('users').dropColumn('tokens_valid_from').execute();
}
