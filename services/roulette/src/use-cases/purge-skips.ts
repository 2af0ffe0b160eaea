import { purgeExpiredSkips } from '../db/queries/skips.js';
import type { RouletteContext } from '../context.js';

/** Forgets skips whose cooldown is over; they no longer keep anyone apart. */
export async function purgeSkips(ctx: RouletteContext): Promise<void> {
  await purgeExpiredSkips(ctx.db, ctx.rules.skipCooldownMs);
}
