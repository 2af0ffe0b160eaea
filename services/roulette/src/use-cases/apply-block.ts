import { applyBlockState } from '@chatroulette/blocks';
import type { BlockEvent } from '@chatroulette/contracts';
import type { RouletteContext } from '../context.js';
import { endLiveMatchOf } from './end-match.js';
import { withMatchingLock } from './matching-lock.js';

/**
 * A block event from auth into this service's copy. It is written under the matching lock, so no
 * pairing runs beside it: once it commits the pair is never matched, and a match made before it
 * (even one committed an instant earlier) is seen and ended at once, as a skip by the blocker.
 */
export async function applyBlock(ctx: RouletteContext, e: BlockEvent): Promise<void> {
  const changed = await withMatchingLock(ctx, (trx) => applyBlockState(trx, e));
  if (!changed) return;
  ctx.log.info({ blockerId: e.blocker_id, blockedId: e.blocked_id, blocked: e.blocked, version: e.version }, 'block copied');
  if (!e.blocked) return;
  const ended = await endLiveMatchOf(ctx, { id: e.blocker_id, username: e.blocker_username }, { skipped: true, partnerId: e.blocked_id });
  if (ended) ctx.log.info({ blockerId: e.blocker_id, blockedId: e.blocked_id }, 'a block ended the pair\'s roulette chat');
}
