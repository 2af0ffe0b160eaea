import { dequeue } from '../db/queries/queue.js';
import { liveMatchOf } from '../db/queries/matches.js';
import type { RouletteContext } from '../context.js';
import { withMatchingLock } from './matching-lock.js';
import { finalizeMatch } from './finalize-match.js';
import { endMatch } from './end-match.js';

/** A user gone past the grace period: out of the queue, and out of their match (the partner is told). */
export async function leaveRoulette(ctx: RouletteContext, user: { id: string; username: string }): Promise<void> {
  const removed = await withMatchingLock(ctx, (trx) => dequeue(trx, [user.id]));
  if (removed) ctx.log.info({ userId: user.id }, 'left the queue after the grace period');
  const live = await liveMatchOf(ctx.db, user.id);
  if (!live) return;
  // A pending match gets its chat first, so the partner learns of the match and then of the leave.
  if (live.status === 'pending') await finalizeMatch(ctx, live.id);
  await endMatch(ctx, live.id, user, { skipped: false });
}
