import type { AuthContext } from '../context.js';
import { deleteOldTombstones, sweepDeadGateways } from '../db/queries/presence.js';
import { withDeadlockRetry } from './retry.js';

const TOMBSTONE_TTL_MS = 10 * 60_000;

/**
 * Every `presenceSweepMs`, drops the presence of gateways silent for 3 intervals (a crashed
 * gateway sends no offline events). Returns a stop function that waits for a sweep in progress.
 */
export function startSweeper(ctx: AuthContext): () => Promise<void> {
  const listeningSince = Date.now();
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= sweepOnce(ctx, Date.now() - listeningSince).finally(() => {
      running = null;
    });
  }, ctx.cfg.presenceSweepMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}

export async function sweepOnce(ctx: AuthContext, listeningMs: number): Promise<void> {
  try {
    const { gateways, users } = await withDeadlockRetry(() => sweepDeadGateways(ctx.db, listeningMs));
    if (gateways.length) ctx.log.info({ gateways, users: users.length }, 'presence of silent gateways expired');
    await deleteOldTombstones(ctx.db, TOMBSTONE_TTL_MS);
  } catch (err) {
    ctx.log.warn({ err }, 'presence sweep failed');
  }
}
