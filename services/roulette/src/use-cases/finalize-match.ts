import type { PublicUser } from '@chatroulette/contracts';
import { activateMatch, matchById } from '../db/queries/matches.js';
import { addToOutbox } from '../db/queries/outbox.js';
import type { Match } from '../db/schema.js';
import { fetchUsers } from '../clients/auth-users.js';
import { createRouletteChat } from '../clients/messages-chats.js';
import { matchEvent } from '../events/match-event.js';
import { unknownUser } from '../domain/match.js';
import type { RouletteContext } from '../context.js';

/**
 * Takes a pending match to active: the chat is created first (idempotent on the match id, so any
 * instance may retry), then the match and both chatroulette_match events commit together.
 * Safe to run twice at once: only one activation writes the events.
 */
export async function finalizeMatch(
  ctx: RouletteContext,
  matchId: string,
): Promise<{ match: Match | undefined; users?: Map<string, PublicUser> }> {
  const match = await matchById(ctx.db, matchId);
  if (!match || match.status !== 'pending') return { match };
  const users = await fetchUsers(ctx.nc, ctx.subjects, [match.user_a, match.user_b]);
  const chat = await createRouletteChat(ctx.nc, ctx.subjects, [match.user_a, match.user_b], `roulette-match:${match.id}`);
  const userA = users.get(match.user_a) ?? unknownUser(match.user_a);
  const userB = users.get(match.user_b) ?? unknownUser(match.user_b);

  const ids = await ctx.db.transaction().execute(async (trx) => {
    if (!(await activateMatch(trx, match.id, chat.id))) return undefined;
    return addToOutbox(trx, [
      matchEvent(ctx.subjects, match.id, match.user_a, chat.id, userB),
      matchEvent(ctx.subjects, match.id, match.user_b, chat.id, userA),
    ]);
  });
  if (!ids) return { match: await matchById(ctx.db, matchId), users };
  ctx.metrics.matches.inc();
  ctx.log.info({ matchId: match.id, chatId: chat.id }, 'matched');
  await ctx.publisher.publishNow(ids);
  return { match: { ...match, chat_id: chat.id, status: 'active' }, users };
}
