import type { PublicUser } from '@chatroulette/contracts';
import { activateMatches, matchesByIds } from '../db/queries/matches.js';
import { addToOutbox } from '../db/queries/outbox.js';
import type { Match } from '../db/schema.js';
import { fetchUsers } from '../clients/auth-users.js';
import { createRouletteChats } from '../clients/messages-chats.js';
import { matchEvent } from '../events/match-event.js';
import { unknownUser } from '../domain/match.js';
import type { RouletteContext } from '../context.js';

export interface Finalized {
  /** Every match asked about that exists, as it is after this (active once finished). */
  matches: Map<string, Match>;
  /** The users of the pending ones, looked up once for all of them. */
  users: Map<string, PublicUser>;
}

/**
 * Takes pending matches to active, together: the users are looked up in one request and the chats
 * created first (idempotent on the match id, so any instance may retry), then every match and its
 * two chatroulette_match events commit in one transaction, published after it. Safe to run twice at
 * once: only one activation of a match writes its events.
 */
export async function finalizeMatches(ctx: RouletteContext, matchIds: string[]): Promise<Finalized> {
  const found = await matchesByIds(ctx.db, matchIds);
  const matches = new Map(found.map((m) => [m.id, m]));
  const pending = found.filter((m) => m.status === 'pending');
  if (pending.length === 0) return { matches, users: new Map() };
  const [users, chats] = await Promise.all([
    fetchUsers(ctx.nc, ctx.subjects, pending.flatMap((m) => [m.user_a, m.user_b])),
    createRouletteChats(ctx.nc, ctx.subjects, pending.map((m) => ({ participantIds: [m.user_a, m.user_b], key: `roulette-match:${m.id}` }))),
  ]);
  const userOf = (id: string) => users.get(id) ?? unknownUser(id);
  const withChats = pending.map((m, i) => ({ match: m, chatId: chats[i]!.id }));

  const { activated, ids } = await ctx.db.transaction().execute(async (trx) => {
    const activated = await activateMatches(trx, withChats.map((c) => ({ matchId: c.match.id, chatId: c.chatId })));
    const events = withChats
      .filter((c) => activated.has(c.match.id))
      .flatMap(({ match: m, chatId }) => [
        matchEvent(ctx.subjects, m.id, m.user_a, chatId, userOf(m.user_b)),
        matchEvent(ctx.subjects, m.id, m.user_b, chatId, userOf(m.user_a)),
      ]);
    return { activated, ids: await addToOutbox(trx, events) };
  });
  for (const { match, chatId } of withChats) {
    if (!activated.has(match.id)) continue;
    matches.set(match.id, { ...match, chat_id: chatId, status: 'active' });
    ctx.log.info({ matchId: match.id, chatId }, 'matched');
  }
  ctx.metrics.matches.inc(activated.size);
  // Finished elsewhere first, or ended meanwhile: read what is true now.
  const others = withChats.filter((c) => !activated.has(c.match.id)).map((c) => c.match.id);
  for (const m of await matchesByIds(ctx.db, others)) matches.set(m.id, m);
  await ctx.publisher.publishNow(ids);
  return { matches, users };
}
