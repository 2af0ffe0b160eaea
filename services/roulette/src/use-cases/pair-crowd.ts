import { randomUUID } from 'node:crypto';
import { readBatch, writeBatch, type NewMatch } from '../db/queries/crowd.js';
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
 * of the waiting queue (neither idle nor suspended), which is paired oldest first
 * (domain/pairing.ts), never a pair in a skip cooldown nor a blocked one; the matches are written
 * pending and the unpaired searchers queued (db/queries/crowd.ts). A crash before the commit leaves
 * nothing; after it, the relay finishes the pending matches.
 */
export async function pairCrowd(ctx: RouletteContext, searchers: Searcher[]): Promise<PairedCrowd> {
  const unique = [...new Map(searchers.map((s) => [s.userId, s])).values()];
  const ids = unique.map((s) => s.userId);
  return withMatchingLock(ctx, async (trx) => {
    const { suspended, live, queued, waiting, apart } = await readBatch(trx, {
      userIds: ids,
      limit: QUEUE_SLICE,
      idleMs: ctx.rules.idleSearchMs,
      cooldownMs: ctx.rules.skipCooldownMs,
    });
    const fresh = unique.filter((s) => !suspended.has(s.userId) && !live.has(s.userId) && !queued.has(s.userId));
    const seekers: Seeker[] = [
      ...waiting.map((w) => ({ userId: w.user_id, interests: w.interests, waitedMs: w.waited_ms })),
      ...fresh.map((s) => ({ ...s, waitedMs: 0 })),
    ];
    const pairs = pairQueue(seekers, ctx.rules, new Set(apart.map(([x, y]) => pairKey(x, y))));
    const paired = new Map<string, string>();
    const made = pairs.map(([a, b]): NewMatch => {
      const id = randomUUID();
      paired.set(a.userId, id).set(b.userId, id);
      return { id, a, b };
    });
    if (made.length > 0 || fresh.length > 0) {
      await writeBatch(trx, {
        dequeue: waiting.filter((w) => paired.has(w.user_id)).map((w) => w.user_id),
        enqueue: fresh.filter((s) => !paired.has(s.userId)),
        matches: made,
        retryAfterMs: ctx.rules.retryAfterMs,
      });
    }

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
