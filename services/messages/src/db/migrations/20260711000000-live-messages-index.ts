import { sql, type Kysely } from 'kysely';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  // A chat's live messages in seq order, with what the chat list reads of them (its last message,
  // the caller's unread count: the author, and the id to look for a read), so both are index-only
  // where the table's pages are all-visible. History pages use it too.
  await sql`create index messages_live_idx on messages (chat_id, seq) include (user_id, id) where deleted_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index messages_live_idx`.execute(db);
}
