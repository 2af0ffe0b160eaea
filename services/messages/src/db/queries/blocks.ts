import { sql, type RawBuilder } from 'kysely';
import type { Db } from './db.js';

/**
 * True when `userId` and another participant of `chatId` are a blocked pair, either way: the send
 * check (send-checks.ts). It starts from the user's blocks, so a user with none pays two empty index probes.
 */
export function blockedInChat(chatId: RawBuilder<unknown>, userId: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`exists (
    select 1 from user_blocks ub
    join chat_participants o on o.chat_id = ${chatId} and o.user_id in (ub.blocker_id, ub.blocked_id) and o.user_id <> ${userId}
    where ub.blocked and (ub.blocker_id = ${userId} or ub.blocked_id = ${userId}))`;
}

/** Those of `others` who are in a blocked pair with `userId`, either way (a new chat with them, a like of theirs). */
export async function blockedAmong(db: Db, userId: string, others: string[]): Promise<string[]> {
  if (others.length === 0) return [];
  const rows = await db
    .selectFrom('user_blocks')
    .select(sql<string>`case when blocker_id = ${userId}::uuid then blocked_id else blocker_id end`.as('other'))
    .where('blocked', '=', true)
    .where((eb) =>
      eb.or([
        eb.and([eb('blocker_id', '=', userId), eb('blocked_id', 'in', others)]),
        eb.and([eb('blocked_id', '=', userId), eb('blocker_id', 'in', others)]),
      ]),
    )
    .execute();
  return rows.map((r) => r.other);
}
