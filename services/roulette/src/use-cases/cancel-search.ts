import { dequeue } from '../db/queries/queue.js';
import type { RouletteState } from '../domain/match.js';
import type { RouletteContext } from '../context.js';
import { withMatchingLock } from './matching-lock.js';
import { currentState } from './state.js';

/** Leaves the queue; a user already matched stays matched and is told so. */
export async function cancelSearch(ctx: RouletteContext, userId: string): Promise<RouletteState> {
  await withMatchingLock(ctx, async (trx) => {
    await dequeue(trx, [userId]);
  });
  return currentState(ctx, userId);
}
