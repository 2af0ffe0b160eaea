import { suspendedError } from '../domain/moderation.js';
import type { RouletteState } from '../domain/match.js';
import type { RouletteContext } from '../context.js';
import { matchedState } from './state.js';

/**
 * A user searches: they join the matcher's next batch (use-cases/pair-crowd.ts), which pairs them
 * with the best waiting partner or queues them. A second search while searching or matched answers
 * the current state (and, while searching, counts as activity). A suspended user is refused (403
 * suspended), checked in the batch's transaction under the matching lock, so a suspension and a
 * search arriving together cannot leave the user in the queue.
 */
export async function search(ctx: RouletteContext, userId: string, interests: string[]): Promise<RouletteState> {
  const batch = await ctx.matcher.join({ userId, interests });
  const outcome = batch.outcomes.get(userId);
  if (!outcome || outcome.kind === 'searching') return { status: 'searching' };
  if (outcome.kind === 'suspended') throw suspendedError(outcome.until);
  return matchedState(ctx, outcome.matchId, userId, outcome.made ? await batch.finalized : undefined);
}
