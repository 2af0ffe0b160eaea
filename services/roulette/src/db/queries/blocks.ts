import { sql, type Kysely } from 'kysely';
import { blockedPair } from '@chatroulette/blocks';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

/** A where-clause on `queue`: the queued user and `userId` are not a blocked pair, either way. */
export function notBlockedWith(userId: string) {
  return sql<boolean>`not ${blockedPair(sql`${userId}::uuid`, sql.ref('queue.user_id'))}`;
}

/** Blocked pairs (either way) among `userIds`, for the periodic matcher. */
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
