import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { dequeue, enqueueAll, oldestWaiting, touchQueued } from '../db/queries/queue.js';
import { insertMatches, liveMatchIdsOf, type NewMatch } from '../db/queries/matches.js';
import { blockedPairsAmong } from '../db/queries/blocks.js';
import { cooldownPairs } from '../db/queries/skips.js';
import { suspendedAmong } from '../db/queries/suspensions.js';
import { pairKey, pairQueue, type Seeker } from '../domain/pairing.js';
import type { RouletteContext } from '../context.js';
import { withMatchingLock } from './matching-lock.js';

/** How much of the waiting queue, oldest first, one batch pairs with its fresh searchers. */
const QUEUE_SLICE = 500;

export interface Searcher {
  userId: string;
  interests: string[];
}

export type SearchOutcome =
  | { kind: 'searching' }
  | { kind: 'suspended'; until: Date }
  /** `made`: by this batch (finished with it); else the live match the user already had. */
  | { kind: 'matched'; matchId: string; made: boolean };

export interface PairedCrowd {
  /** One per searcher of the batch. */
  outcomes: Map<string, SearchOutcome>;
  /** The matches this batch wrote, pending until their chats exist. */
  made: NewMatch[];
  /** Per matched user, how long they had waited (0 for a fresh searcher). */
  waitedMs: number[];
}

/**
 * One matcher batch, in one transaction under the matching lock: the batch's searchers (refused when
 * suspended, answered their match when matched, counted as active when queued) join the oldest part
 * of the waiting queue, which is paired oldest first (domain/pairing.ts), never a pair in a skip
 * cooldown nor a blocked one (the queue query leaves out the suspended and the idle); the matches
 * are written pending and the unpaired searchers queued, each in one statement. A crash before the
 * commit leaves nothing; after it, the relay finishes the pending matches.
 */
export async function pairCrowd(ctx: RouletteContext, searchers: Searcher[]): Promise<PairedCrowd> {
  const unique = [...new Map(searchers.map((s) => [s.userId, s])).values()];
  const ids = unique.map((s) => s.userId);
  return withMatchingLock(ctx, async (trx) => {
    const suspended = await suspendedAmong(trx, ids);
    const live = await liveMatchIdsOf(trx, ids);
    const free = unique.filter((s) => !suspended.has(s.userId) && !live.has(s.userId));
    const queued = new Set(await touchQueued(trx, free.map((s) => s.userId)));
    const fresh = free.filter((s) => !queued.has(s.userId));

    const waiting = await oldestWaiting(trx, QUEUE_SLICE, ctx.rules.idleSearchMs);
    const seekers: Seeker[] = [
      ...waiting.map((w) => ({ userId: w.user_id, interests: w.interests, waitedMs: w.waited_ms })),
      ...fresh.map((s) => ({ ...s, waitedMs: 0 })),
    ];
    const pairs = seekers.length < 2 ? [] : pairQueue(seekers, ctx.rules, await keptApart(ctx, trx, seekers.map((s) => s.userId)));
    const paired = new Map<string, string>();
    const made = pairs.map(([a, b]): NewMatch => {
      const id = randomUUID();
      paired.set(a.userId, id).set(b.userId, id);
      return { id, a, b, retryAfterMs: ctx.rules.retryAfterMs };
    });
    await dequeue(trx, waiting.filter((w) => paired.has(w.user_id)).map((w) => w.user_id));
    await enqueueAll(trx, fresh.filter((s) => !paired.has(s.userId)));
    await insertMatches(trx, made);

    const outcomes = new Map<string, SearchOutcome>();
    for (const id of ids) {
      const until = suspended.get(id);
      const matchId = paired.get(id) ?? live.get(id);
      if (until) outcomes.set(id, { kind: 'suspended', until });
      else if (matchId) outcomes.set(id, { kind: 'matched', matchId, made: paired.has(id) });
      else outcomes.set(id, { kind: 'searching' });
    }
    return { outcomes, made, waitedMs: pairs.flat().map((s) => s.waitedMs) };
  });
}

/** pairKey()s of the pairs among `userIds` that must not be matched: a skip cooldown, a block either way. */
async function keptApart(ctx: RouletteContext, trx: Transaction<Database>, userIds: string[]): Promise<Set<string>> {
  const [cooldowns, blocked] = [await cooldownPairs(trx, userIds, ctx.rules.skipCooldownMs), await blockedPairsAmong(trx, userIds)];
  return new Set([...cooldowns.map((c) => pairKey(c.user_lo, c.user_hi)), ...blocked.map((b) => pairKey(b.blocker_id, b.blocked_id))]);
}
