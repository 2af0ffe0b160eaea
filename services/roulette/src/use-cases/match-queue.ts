import { randomUUID } from 'node:crypto';
import { dequeue, oldestWaiting } from '../db/queries/queue.js';
import { insertMatch } from '../db/queries/matches.js';
import { blockedPairsAmong } from '../db/queries/blocks.js';
import { cooldownPairs } from '../db/queries/skips.js';
import { pairKey, pairQueue } from '../domain/pairing.js';
import type { RouletteContext } from '../context.js';
import { withMatchingLock } from './matching-lock.js';
import { finalizeMatch } from './finalize-match.js';

/** How much of the queue, oldest first, one matcher run pairs. */
const MATCHER_BATCH = 500;

/**
 * Pairs users already waiting: those whose interest wait ran out, those whose skip cooldown ended,
 * and any pair a race left waiting; never a blocked pair nor a suspended user. Returns how many matches it made.
 */
export async function matchQueue(ctx: RouletteContext): Promise<number> {
  const made = await withMatchingLock(ctx, async (trx) => {
    const waiting = await oldestWaiting(trx, MATCHER_BATCH, ctx.rules.idleSearchMs);
    if (waiting.length < 2) return [];
    const ids = waiting.map((w) => w.user_id);
    const cooldowns = await cooldownPairs(trx, ids, ctx.rules.skipCooldownMs);
    const blocked = await blockedPairsAmong(trx, ids);
    const apart = [...cooldowns.map((c) => pairKey(c.user_lo, c.user_hi)), ...blocked.map((b) => pairKey(b.blocker_id, b.blocked_id))];
    const pairs = pairQueue(
      waiting.map((w) => ({ userId: w.user_id, interests: w.interests, waitedMs: w.waited_ms })),
      ctx.rules,
      new Set(apart),
    );
    const made: { id: string; waitedMs: number[] }[] = [];
    for (const [a, b] of pairs) {
      await dequeue(trx, [a.userId, b.userId]);
      const id = randomUUID();
      await insertMatch(trx, { id, a, b, retryAfterMs: ctx.rules.retryAfterMs });
      made.push({ id, waitedMs: [a.waitedMs, b.waitedMs] });
    }
    return made;
  });
  for (const ms of made.flatMap((m) => m.waitedMs)) ctx.metrics.queueWait.observe(ms / 1000);
  const matchIds = made.map((m) => m.id);
  const results = await Promise.allSettled(matchIds.map((id) => finalizeMatch(ctx, id)));
  for (const r of results) {
    if (r.status === 'rejected') ctx.log.warn({ err: r.reason }, 'finishing a match failed; the relay will retry');
  }
  return matchIds.length;
}
