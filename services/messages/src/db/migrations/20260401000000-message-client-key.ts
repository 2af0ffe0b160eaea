import { sql, type Kysely } from 'kysely';

/** A client's own id for a message: a retried send with the same one stores nothing new. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('client_key', 'text').execute();
  await sql`create unique index messages_client_key_idx on messages (chat_id, user_id, client_key) where client_key is not null`.execute(db);
}
