import type { Insertable, Kysely } from 'kysely';
import type { Database, ModerationActionsTable } from '../schema.js';

export async function recordModeration(db: Kysely<Database>, action: Insertable<ModerationActionsTable>): Promise<void> {
  await db.insertInto('moderation_actions').values(action).execute();
}
