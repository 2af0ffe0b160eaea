import type { PublicUser } from '@chatroulette/contracts';
import { activateMatches, matchesByIds } from '../db/queries/matches.js';
import type { Match } from '../db/schema.js';
import { fetchUsers } from '../clients/auth-users.js';
import { createRouletteChats } from '../clients/messages-chats.js';
import { matchEvent } from '../events/match-event.js';
import { unknownUser } from '../domain/match.js';
import type { RouletteContext } from '../context.js';

/** What a finish needs of a match, and what it tells of it after. */
export type MatchState = Pick<Match, 'id' | 'user_a' | 'user_b' | 'chat_id' | 'status'>;

export interface Finalized {
  /** Every match asked about that exists, as it is after this (active once finished). */
  matches: Map<string, MatchState>;
  /** The users of the pending ones, looked up once for all of them. */
  users: Map<string, PublicUser>;
  /**
   * The events published (begun once they committed; a failure is left to the relay). The search
   * answers without waiting for it: its chat exists already.
   */
  published: Promise<void>;
}

/** Takes the matches to active if they are pending (finalizeMatches), reading them first. */
export async function finalizeMatchIds(ctx: RouletteContext, matchIds: string[]): Promise<Finalized> {
  const found = await matchesByIds(ctx.db, matchIds);
  const done = found.filter((m) => m.status !== 'pending');
  const finalized = await finalizeMatches(ctx, found.filter((m) => m.status === 'pending'));
  for (const m of done) finalized.matches.set(m.id, m);
  return finalized;
}

/**
 * Takes pending matches to active, together: the users are looked up in one request and the chats
 * created in one (idempotent on the match id, so any instance may retry), then every match and its
 * two chatroulette_match events commit in one statement, published after it. Safe to run twice at
 * once: only one activation of a match writes its events. A match whose chat messages refused
 * stays pending, for the relay.
 */
export async function finalizeMatches(ctx: RouletteContext, pending: MatchState[]): Promise<Finalized> {
  const matches = new Map<string, MatchState>(pending.map((m) => [m.id, m]));
  if (pending.length === 0) return { matches, users: new Map(), published: Promise.resolve() };
  const [users, chats] = await Promise.all([
    fetchUsers(ctx.nc, ctx.subjects, pending.flatMap((m) => [m.user_a, m.user_b])),
    createRouletteChats(ctx.nc, ctx.subjects, pending.map((m) => ({ participantIds: [m.user_a, m.user_b], key: `roulette-match:${m.id}` }))),
  ]);
  const withChats = pending.flatMap((m, i) => {
    const chat = chats[i];
    if (chat) return [{ match: m, chatId: chat.id }];
    ctx.log.warn({ matchId: m.id }, 'messages refused the chat of a match; the relay will retry');
    return [];
  });
  const { activated, outbox } = await activateMatches(
    ctx.db,
    withChats.map((c) => ({ matchId: c.match.id, chatId: c.chatId })),
    withChats.flatMap(({ match, chatId }) => eventsOf(ctx, match, chatId, users)),
  );
  for (const { match, chatId } of withChats) {
    if (!activated.has(match.id)) continue;
    matches.set(match.id, { ...match, chat_id: chatId, status: 'active' });
    ctx.log.info({ matchId: match.id, chatId }, 'matched');
  }
  ctx.metrics.matches.inc(activated.size);
  // Finished elsewhere first, or ended meanwhile: read what is true now.
  const others = await matchesByIds(ctx.db, withChats.filter((c) => !activated.has(c.match.id)).map((c) => c.match.id));
  for (const m of others) matches.set(m.id, m);
  return { matches, users, published: ctx.publisher.publishNow(outbox.map((r) => r.id)) };
}

/** Both users' chatroulette_match, each naming the other. */
function eventsOf(ctx: RouletteContext, m: MatchState, chatId: string, users: Map<string, PublicUser>) {
  const userOf = (id: string) => users.get(id) ?? unknownUser(id);
  return [
    { matchId: m.id, ...matchEvent(ctx.subjects, m.id, m.user_a, chatId, userOf(m.user_b)) },
    { matchId: m.id, ...matchEvent(ctx.subjects, m.id, m.user_b, chatId, userOf(m.user_a)) },
  ];
}
