import { randomUUID } from 'node:crypto';
import { candidatesFor, dequeue, enqueue, touchSearch } from '../db/queries/queue.js';
import { insertMatch, liveMatchOf } from '../db/queries/matches.js';
import { suspendedUntil } from '../db/queries/suspensions.js';
import { suspendedError } from '../domain/moderation.js';
import { pickPartner } from '../domain/pairing.js';
import type { RouletteState } from '../domain/match.js';
import type { RouletteContext } from '../context.js';
import { withMatchingLock } from './matching-lock.js';
import { matchedState } from './state.js';

/**
 * A user searches: they take the best waiting partner, or wait in the queue. A second search while
 * searching or matched answers the current state (and, while searching, counts as activity). A
 * suspended user is refused (403 suspended), under the matching lock, so a suspension and a search
 * arriving together cannot leave the user in the queue.
 */
export async function search(ctx: RouletteContext, userId: string, interests: string[]): Promise<RouletteState> {
  const outcome = await withMatchingLock(ctx, async (trx) => {
    const until = await suspendedUntil(trx, userId);
    if (until) throw suspendedError(until);
    const live = await liveMatchOf(trx, userId);
    if (live) return { matchId: live.id, waitedMs: [] };
    if (await touchSearch(trx, userId)) return { searching: true as const };
    const waiting = await candidatesFor(trx, userId, interests, {
      cooldownMs: ctx.rules.skipCooldownMs,
      interestWaitMs: ctx.rules.interestWaitMs,
      idleMs: ctx.rules.idleSearchMs,
      limit: 50,
    });
    const partner = pickPartner(
      { userId, interests, waitedMs: 0 },
      waiting.map((w) => ({ userId: w.user_id, interests: w.interests, waitedMs: w.waited_ms })),
      ctx.rules,
    );
    if (!partner || (await dequeue(trx, [partner.userId])) !== 1) {
      await enqueue(trx, userId, interests);
      return { searching: true as const };
    }
    const matchId = randomUUID();
    await insertMatch(trx, {
      id: matchId,
      // The one who waited is user_a.
      a: { userId: partner.userId, interests: partner.interests },
      b: { userId, interests },
      retryAfterMs: ctx.rules.retryAfterMs,
    });
    return { matchId, waitedMs: [partner.waitedMs, 0] };
  });
  if ('searching' in outcome) return { status: 'searching' };
  for (const ms of outcome.waitedMs) ctx.metrics.queueWait.observe(ms / 1000);
  return matchedState(ctx, outcome.matchId, userId);
}
