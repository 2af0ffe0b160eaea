import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

const DEV_KEY_ID = 'development';

/**
 * The development key: the first instance to get here stores its fresh key, every other one
 * (a restart, a second instance starting at the same moment) reads that same key back.
 */
export async function ensureDevelopmentKey(db: Kysely<Database>, freshPem: string): Promise<string> {
  await db
    .insertInto('signing_keys')
    .values({ id: DEV_KEY_ID, private_key_pem: freshPem })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db
    .selectFrom('signing_keys')
    .select('private_key_pem')
    .where('id', '=', DEV_KEY_ID)
    .executeTakeFirstOrThrow();
  return row.private_key_pem;
}

/** The stored development key, if any: a configured key retires it (use-cases/resolve-signing-key.ts). */
export async function findDevelopmentKey(db: Kysely<Database>): Promise<string | undefined> {
  const row = await db.selectFrom('signing_keys').select('private_key_pem').where('id', '=', DEV_KEY_ID).executeTakeFirst();
  return row?.private_key_pem;
}

export async function deleteDevelopmentKey(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('signing_keys').where('id', '=', DEV_KEY_ID).execute();
}
