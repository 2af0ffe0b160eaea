import { dropDeadline, leaseDueDeadlines } from '../db/queries/deadlines.js';
import { fetchUsers } from '../clients/auth-users.js';
import type { RouletteContext } from './context.js';
import { leaveRoulette } from './leave.js';

/**
 * Acts on due grace deadlines. Auth is asked whether each user is still offline, since a user may
 * still have sockets on another gateway; users back online keep their place.
 */
export async function expireGrace(ctx: RouletteContext, leaseMs = 10_000): Promise<number> {
  const due = await leaseDueDeadlines(ctx.db, leaseMs, 50);
  if (due.length === 0) return 0;
  const users = await fetchUsers(
    ctx.nc,
    ctx.subjects,
    due.map((d) => d.user_id),
  );
  for (const d of due) {
    const user = users.get(d.user_id);
    try {
      if (user && !user.is_online) await leaveRoulette(ctx, user);
      else if (!user) await leaveRoulette(ctx, { id: d.user_id, username: '', is_online: false, last_seen: null });
      await dropDeadline(ctx.db, d.user_id, d.due_at);
    } catch (err) {
      ctx.log.warn({ err, userId: d.user_id }, 'acting on a grace deadline failed; it comes back after its lease');
    }
  }
  return due.length;
}
