import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

/** Blocked pairs (either way) among `userIds`, for the matcher. */
export async function blockedPairsAmong(db: Db, userIds: string[]) {
  if (userIds.length < 2) return [];
  return db
    .selectFrom('user_blocks')
    .select(['blocker_id', 'blocked_id'])
    .where('blocked', '=', true)
    .where('blocker_id', 'in', userIds)
    .where('blocked_id', 'in', userIds)
    .execute();
}
