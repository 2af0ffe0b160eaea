import { dequeue } from '../db/queries/queue.js';
import type { RouletteContext } from '../context.js';
import { withMatchingLock } from './matching-lock.js';
import { endLiveMatchOf } from './end-match.js';

/** A user gone past the grace period: out of the queue, and out of their match (the partner is told). */
export async function leaveRoulette(ctx: RouletteContext, user: { id: string; username: string }): Promise<void> {
  const removed = await withMatchingLock(ctx, (trx) => dequeue(trx, [user.id]));
  if (removed) ctx.log.info({ userId: user.id }, 'left the queue after the grace period');
  await endLiveMatchOf(ctx, user, { skipped: false });
}
