import { sql, type Kysely } from 'kysely';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  // The name (and description) given at creation; roulette and saved chats are named by their type.
  await sql`alter table chats add column name text not null default '', add column description text not null default ''`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table chats drop column name, drop column description`.execute(db);
}
