import { every, type Owner } from '@chatroulette/runtime';
import type { AuthContext } from './context.js';
import { pruneFailures } from './db/queries/login-failures.js';
import { sweepPresence } from './use-cases/sweep-presence.js';

/** How often failure counts past their window are deleted, so the table holds only recent failures. */
const LOGIN_FAILURE_PRUNE_MS = 60_000;
/** How often block changes that a failure left unpublished are published again. */
const BLOCK_RELAY_MS = 1000;

/** The periodic work of every auth instance; started once the NATS handlers listen, stopped before them. */
export function startJobs(ctx: AuthContext, owner: Owner): void {
  // Heartbeats are heard from now on: gateways are judged only after 3 of their intervals of listening.
  const listeningSince = Date.now();
  const sweep = every('presence sweep', ctx.cfg.presenceSweepMs, () => sweepPresence(ctx, Date.now() - listeningSince), ctx.log);
  owner.own('presence sweep', sweep, (job) => job.stop());
  const prune = every('login failure prune', LOGIN_FAILURE_PRUNE_MS, () => pruneFailures(ctx.db, ctx.lockout.windowS), ctx.log);
  owner.own('login failure prune', prune, (job) => job.stop());
  const relay = every('block events relay', BLOCK_RELAY_MS, () => ctx.blockEvents.relay(), ctx.log);
  owner.own('block events relay', relay, (job) => job.stop());
}
