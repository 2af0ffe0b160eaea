import type { AuthContext } from '../context.js';
import { withDeadlockRetry } from '../db/deadlock-retry.js';
import { deleteOldTombstones, sweepDeadGateways } from '../db/queries/presence.js';

/** How long an offline row is kept to refuse a late `online` of the same gateway. */
const TOMBSTONE_TTL_MS = 10 * 60_000;

/**
 * Drops the presence of gateways silent for 3 intervals (a crashed gateway sends no offline events)
 * and publishes the users that left offline; then forgets old offline rows. `listeningMs`: how long
 * this instance has been receiving heartbeats.
 */
export async function sweepPresence(ctx: AuthContext, listeningMs: number): Promise<void> {
  const { gateways, users } = await withDeadlockRetry(() => sweepDeadGateways(ctx.db, listeningMs, ctx.events.presenceChanged));
  if (gateways.length) ctx.log.info({ gateways, users: users.length }, 'presence of silent gateways expired');
  await deleteOldTombstones(ctx.db, TOMBSTONE_TTL_MS);
}
