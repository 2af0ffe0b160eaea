import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { dequeue } from '../db/queries/queue.js';
import { suspend } from '../db/queries/suspensions.js';
import { fetchUsers } from '../clients/auth-users.js';
import type { RouletteContext } from '../context.js';
import { endLiveMatchOf } from './end-match.js';

/**
 * Suspends a user from the roulette for `hours` and takes them out of the queue, in the caller's
 * transaction, which holds the matching lock: no pairing can take them meanwhile. Returns the end.
 * Their live match is ended after the commit (endSuspendedMatch).
 */
export async function suspendInLock(trx: Transaction<Database>, userId: string, hours: number, moderatorId: string | null): Promise<Date> {
  const until = await suspend(trx, userId, hours, moderatorId);
  await dequeue(trx, [userId]);
  return until;
}

/** A suspended user leaves their live match: the partner gets chatroulette_left. */
export async function endSuspendedMatch(ctx: RouletteContext, userId: string, username?: string): Promise<void> {
  const name = username ?? (await fetchUsers(ctx.nc, ctx.subjects, [userId]).catch(() => new Map())).get(userId)?.username ?? '';
  await endLiveMatchOf(ctx, { id: userId, username: name }, { skipped: false });
}
