import { every, type Owner } from '@chatroulette/runtime';
import type { RouletteConfig } from './config.js';
import type { RouletteContext } from './context.js';
import { relayOutbox } from './events/relay.js';
import { expireGrace } from './use-cases/expire-grace.js';
import { expireIdleSearches } from './use-cases/expire-idle-searches.js';
import { finishUnfinished } from './use-cases/finish-unfinished.js';
import { matchQueue } from './use-cases/match-queue.js';
import { purgeSkips } from './use-cases/purge-skips.js';

/** How long an instance holds a grace deadline or an unfinished match it took; if it dies, another takes it then. */
const LEASE_MS = 10_000;
/** Expired skips only cost space, so they are purged rarely. */
const PURGE_SKIPS_MS = 60_000;

/** The periodic work of every instance; each job is stopped (waiting for a run in progress) at destroy. */
export function startJobs(owner: Owner, ctx: RouletteContext, cfg: RouletteConfig): void {
  const jobs = [
    every('grace', cfg.graceLoopMs, () => expireGrace(ctx, LEASE_MS), ctx.log),
    // As often as the grace job: an idle searcher must not wait long to be taken out (and matched meanwhile).
    every('idle-searches', cfg.graceLoopMs, () => expireIdleSearches(ctx), ctx.log),
    every('matcher', cfg.matcherLoopMs, () => matchQueue(ctx), ctx.log),
    every(
      'relay',
      cfg.relayLoopMs,
      async () => {
        await relayOutbox(ctx.publisher);
        await finishUnfinished(ctx, LEASE_MS);
      },
      ctx.log,
    ),
    every('purge-skips', PURGE_SKIPS_MS, () => purgeSkips(ctx), ctx.log),
  ];
  owner.atStop('jobs', () => Promise.all(jobs.map((j) => j.stop())));
}
