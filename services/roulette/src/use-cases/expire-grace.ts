import { dropDeadline, leaseDueDeadlines } from '../db/queries/deadlines.js';
import type { RouletteContext } from '../context.js';
import { leaveRoulette } from './leave.js';

/**
 * Acts on due grace deadlines: the user leaves the queue or their match. No need to ask auth again
 * whether they are back: the offline event was already across every gateway, and their coming back
 * online would have cancelled the deadline.
 */
export async function expireGrace(ctx: RouletteContext, leaseMs: number): Promise<number> {
  const due = await leaseDueDeadlines(ctx.db, leaseMs, 50);
  for (const d of due) {
    try {
      await leaveRoulette(ctx, { id: d.user_id, username: d.username });
      await dropDeadline(ctx.db, d.user_id, d.due_at);
    } catch (err) {
      ctx.log.warn({ err, userId: d.user_id }, 'acting on a grace deadline failed; it comes back after its lease');
    }
  }
  return due.length;
}
