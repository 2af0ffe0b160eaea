import { leaseUnfinished } from '../db/queries/matches.js';
import type { RouletteContext } from '../context.js';
import { finalizeMatches } from './finalize-match.js';
import { closeEndedChat } from './end-match.js';

/** Finishes matches left pending or ending by a crash or an outage, on whichever instance gets the lease. */
export async function finishUnfinished(ctx: RouletteContext, leaseMs: number): Promise<void> {
  const matches = await leaseUnfinished(ctx.db, leaseMs, 100);
  const pending = matches.filter((m) => m.status === 'pending');
  if (pending.length > 0) {
    // Together, as the matcher finishes them: a crashed matcher leaves a whole batch pending.
    await finalizeMatches(ctx, pending).then((f) => f.published).catch((err: unknown) => ctx.log.warn({ err, matchIds: pending.map((m) => m.id) }, 'retrying unfinished matches failed'));
  }
  for (const m of matches.filter((m) => m.status === 'ending')) {
    try {
      await closeEndedChat(ctx, m);
    } catch (err) {
      ctx.log.warn({ err, matchId: m.id, status: m.status }, 'retrying an unfinished match failed');
    }
  }
}
