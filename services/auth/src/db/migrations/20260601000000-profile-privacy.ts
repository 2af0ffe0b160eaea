import type { Kysely } from 'kysely';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  // The original product's profile fields: a birthday and what the public profile shows.
  await db.schema
    .alterTable('users')
    .addColumn('birthday', 'date')
    .addColumn('show_username', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('show_birthday', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('show_online_status', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .dropColumn('birthday')
    .dropColumn('show_username')
    .dropColumn('show_birthday')
    .dropColumn('show_online_status')
    .execute();
}
