import { matchByChat, liveMatchOf } from '../db/queries/matches.js';
import { assertParticipant, type RouletteState } from '../domain/match.js';
import type { RouletteContext } from '../context.js';
import { endMatch } from './end-match.js';
import { search } from './search.js';
import { currentState } from './state.js';

/** The caller leaves the roulette chat; with `requeue` they search again at once. */
export async function skip(
  ctx: RouletteContext,
  user: { userId: string; username: string },
  chatId: string,
  opts: { requeue: boolean; interests?: string[] | undefined },
): Promise<RouletteState> {
  const match = assertParticipant(await matchByChat(ctx.db, chatId), user.userId);
  const live = await liveMatchOf(ctx.db, user.userId);
  const interests = opts.interests ?? (live?.id === match.id ? live.interests : []);
  await endMatch(ctx, match.id, { id: user.userId, username: user.username }, { skipped: true });
  if (opts.requeue) return search(ctx, user.userId, interests);
  return currentState(ctx, user.userId);
}
