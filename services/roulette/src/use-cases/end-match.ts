import { beginEnd, liveMatchOf, lockMatch, markEnded } from '../db/queries/matches.js';
import { recordSkip } from '../db/queries/skips.js';
import type { Match } from '../db/schema.js';
import { endRouletteChat } from '../clients/messages-chats.js';
import { partnerOf } from '../domain/match.js';
import type { RouletteContext } from '../context.js';
import { finalizeMatches } from './finalize-match.js';

/**
 * Ends a live match: both users are free as soon as this commits; then the messages service emits
 * chatroulette_left and closes the chat. Returns false when the match had already ended.
 */
export async function endMatch(
  ctx: RouletteContext,
  matchId: string,
  leaver: { id: string; username: string },
  opts: { skipped: boolean },
): Promise<boolean> {
  const ended = await ctx.db.transaction().execute(async (trx) => {
    const match = await lockMatch(trx, matchId);
    if (!match || (match.status !== 'active' && match.status !== 'pending')) return undefined;
    await beginEnd(trx, matchId, leaver, ctx.rules.retryAfterMs);
    if (opts.skipped) await recordSkip(trx, match.user_a, match.user_b);
    return { ...match, status: 'ending' as const, left_user_id: leaver.id, left_username: leaver.username };
  });
  if (!ended) return false;
  ctx.log.info({ matchId, chatId: ended.chat_id, leftUserId: leaver.id, skipped: opts.skipped }, 'match ended');
  try {
    await closeEndedChat(ctx, ended);
  } catch (err) {
    ctx.log.warn({ err, matchId }, 'closing the roulette chat failed; the relay will retry');
  }
  return true;
}

/** The second half of an end, retried by the relay until the messages service has done it. */
export async function closeEndedChat(ctx: RouletteContext, match: Match): Promise<void> {
  if (match.chat_id && match.left_user_id) {
    await endRouletteChat(ctx.nc, ctx.subjects, {
      chat_id: match.chat_id,
      left_user_id: match.left_user_id,
      left_username: match.left_username ?? '',
    });
  }
  await markEnded(ctx.db, match.id);
}

/**
 * Ends the user's live match, if any (with `partnerId`: only a match with that user), as if the
 * user left it: a pending match gets its chat first, so the partner learns of the match and then
 * of the leave. Returns whether a match ended.
 */
export async function endLiveMatchOf(
  ctx: RouletteContext,
  user: { id: string; username: string },
  opts: { skipped: boolean; partnerId?: string },
): Promise<boolean> {
  const live = await liveMatchOf(ctx.db, user.id);
  if (!live || (opts.partnerId !== undefined && partnerOf(live, user.id) !== opts.partnerId)) return false;
  // Told of the match before the leave.
  if (live.status === 'pending') await (await finalizeMatches(ctx, [live])).published;
  return endMatch(ctx, live.id, user, { skipped: opts.skipped });
}
