import type { RouletteContext } from '../context.js';
import { finalizeMatches, type Finalized } from './finalize-match.js';
import { pairCrowd, type PairedCrowd, type Searcher } from './pair-crowd.js';

export interface MatcherBatch extends PairedCrowd {
  /** The batch's matches finished (chats, events), begun once the pairing committed. */
  finalized: Promise<Finalized>;
}

/**
 * What the matcher runs per batch (ctx.matcher): pairs the batch's searchers with the waiting queue,
 * then finishes every match it made together, off the matching lock. A finish that fails is left
 * to the relay (the matches stay pending); the searchers waiting for it get the error.
 */
export async function matchBatch(ctx: RouletteContext, searchers: Searcher[]): Promise<MatcherBatch> {
  const crowd = await pairCrowd(ctx, searchers);
  for (const ms of crowd.waitedMs) ctx.metrics.queueWait.observe(ms / 1000);
  const finalized = finalizeMatches(
    ctx,
    crowd.made.map((m) => ({ id: m.id, user_a: m.a.userId, user_b: m.b.userId, chat_id: null, status: 'pending' as const })),
  );
  finalized.catch((err: unknown) => ctx.log.warn({ err }, 'finishing matches failed; the relay will retry'));
  return { ...crowd, finalized };
}

/**
 * The periodic run: pairs users already waiting (interest waits run out, skip cooldowns ended) in
 * the matcher's next batch. Returns how many matches it made.
 */
export async function matchQueue(ctx: RouletteContext): Promise<number> {
  const batch = await ctx.matcher.join();
  await (await batch.finalized).published;
  return batch.made.length;
}
