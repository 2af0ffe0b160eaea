import type { PublicUser } from '@chatroulette/contracts';
import { unavailable } from '@chatroulette/errors';
import { isQueued } from '../db/queries/queue.js';
import { liveMatchOf } from '../db/queries/matches.js';
import { fetchUsers } from '../clients/auth-users.js';
import { partnerOf, unknownUser, type RouletteState } from '../domain/match.js';
import type { RouletteContext } from '../context.js';
import { finalizeMatchIds, type Finalized } from './finalize-match.js';

/**
 * The state a matched user sees, finishing a pending match first (idempotent), or from `finalized`
 * when the caller's batch has just finished it.
 */
export async function matchedState(ctx: RouletteContext, matchId: string, userId: string, finalized?: Finalized): Promise<RouletteState> {
  const { matches, users } = finalized ?? (await finalizeMatchIds(ctx, [matchId]));
  const match = matches.get(matchId);
  // Its chat was refused: the relay retries it; the user is matched, not idle.
  if (match?.status === 'pending' && !match.chat_id) throw unavailable('The match is not finished yet');
  if (!match || !match.chat_id || (match.status !== 'active' && match.status !== 'pending')) {
    // Ended between the two reads: answer what is true now.
    return currentState(ctx, userId, { finalize: false });
  }
  const partnerId = partnerOf(match, userId);
  const partner: PublicUser =
    users.get(partnerId) ?? (await fetchUsers(ctx.nc, ctx.subjects, [partnerId])).get(partnerId) ?? unknownUser(partnerId);
  return { status: 'matched', chat_id: match.chat_id, user: partner };
}

export async function currentState(
  ctx: RouletteContext,
  userId: string,
  opts: { finalize: boolean } = { finalize: true },
): Promise<RouletteState> {
  const live = await liveMatchOf(ctx.db, userId);
  if (live && opts.finalize) return matchedState(ctx, live.id, userId);
  if (live?.chat_id) {
    const partnerId = partnerOf(live, userId);
    const partner = (await fetchUsers(ctx.nc, ctx.subjects, [partnerId])).get(partnerId) ?? unknownUser(partnerId);
    return { status: 'matched', chat_id: live.chat_id, user: partner };
  }
  if (await isQueued(ctx.db, userId)) return { status: 'searching' };
  return { status: 'idle' };
}
