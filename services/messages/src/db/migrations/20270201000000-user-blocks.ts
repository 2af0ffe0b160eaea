import type { Kysely } from 'kysely';
import { createUserBlocksCopyTable } from '@chatroulette/blocks';

/** This service's copy of auth's blocks (libs/blocks' table, kept current by the block events' durable consumer). */
export async function up(db: Kysely<any>): Promise<void> {
  await createUserBlocksCopyTable(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user_blocks').execute();
}
