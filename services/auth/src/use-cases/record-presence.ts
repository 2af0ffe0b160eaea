import type { AuthContext } from '../context.js';
import { withDeadlockRetry } from '../db/deadlock-retry.js';
import { applyPresence } from '../db/queries/presence.js';

/**
 * One gateway's word on one user. Whichever auth instance applies it publishes the user's new
 * overall state, if it turned (first gateway online, last one offline), after the commit.
 */
export async function recordPresence(
  ctx: AuthContext,
  event: { userId: string; gatewayId: string; online: boolean; at: Date },
): Promise<void> {
  const result = await withDeadlockRetry(() => applyPresence(ctx.db, event, ctx.events.presenceChanged));
  if (result === 'unknown_user') ctx.log.debug({ userId: event.userId }, 'presence of an unknown user ignored');
  else ctx.log.debug({ ...event, result }, 'presence event');
}
