import { leaseUnfinished } from '../db/queries/matches.js';
import type { RouletteContext } from '../context.js';
import { finalizeMatch } from './finalize-match.js';
import { closeEndedChat } from './end-match.js';

/** Finishes matches left pending or ending by a crash or an outage, on whichever instance gets the lease. */
export async function finishUnfinished(ctx: RouletteContext, leaseMs: number): Promise<void> {
  const matches = await leaseUnfinished(ctx.db, leaseMs, 20);
  for (const m of matches) {
    try {
      if (m.status === 'pending') await finalizeMatch(ctx, m.id);
      else await closeEndedChat(ctx, m);
    } catch (err) {
      ctx.log.warn({ err, matchId: m.id, status: m.status }, 'retrying an unfinished match failed');
    }
  }
}
