import { notFound } from '@chatroulette/errors';
import type { BlockState } from '@chatroulette/contracts';
import { blockedBy, blockState, pairsOf, setBlocked } from '../db/queries/blocks.js';
import { findPublicUsers } from '../db/queries/users.js';
import { assertNotSelf } from '../domain/block.js';
import type { AuthContext } from '../context.js';

/**
 * Blocks or unblocks `blockedId` for `blockerId` and publishes the change after the commit (the
 * relay publishes what that left behind). A repeat changes nothing and publishes nothing. Blocking
 * an unknown user is 404; unblocking one is a no-op (nobody unknown is blocked).
 */
export async function setBlock(ctx: AuthContext, blockerId: string, blockedId: string, blocked: boolean): Promise<BlockState> {
  assertNotSelf(blockerId, blockedId);
  const id = blockedId.toLowerCase();
  if (blocked && (await findPublicUsers(ctx.db, [id])).length === 0) throw notFound('User not found');
  const changed = await setBlocked(ctx.db, blockerId, id, blocked);
  if (changed) {
    ctx.log.info({ blockerId, blockedId: id, blocked, version: changed.version }, blocked ? 'user blocked' : 'user unblocked');
    await ctx.blockEvents.publishNow(changed);
    return changed;
  }
  return (await blockState(ctx.db, blockerId, id)) ?? { blocker_id: blockerId, blocked_id: id, blocked: false, version: 0 };
}

/** GET /users/blocks: whom the caller blocks. */
export async function listBlocks(ctx: AuthContext, blockerId: string) {
  const rows = await blockedBy(ctx.db, blockerId);
  return { blocks: rows.map((r) => ({ user_id: r.user_id, username: r.username, blocked_at: r.blocked_at.toISOString() })) };
}

/** auth.blocks.list: every pair the user is in, either way, for a copy to start from. */
export async function pairsOfUser(ctx: AuthContext, userId: string) {
  return { blocks: await pairsOf(ctx.db, userId) };
}
