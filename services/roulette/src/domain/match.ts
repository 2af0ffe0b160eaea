import { forbidden, notFound } from '@chatroulette/errors';
import type { PublicUser } from '@chatroulette/contracts';

export type { RouletteState } from '@chatroulette/contracts';

export interface MatchPair {
  id: string;
  user_a: string;
  user_b: string;
  chat_id: string | null;
}

export function partnerOf(match: MatchPair, userId: string): string {
  return match.user_a === userId ? match.user_b : match.user_a;
}

function isParticipant(match: MatchPair, userId: string): boolean {
  return match.user_a === userId || match.user_b === userId;
}

/** Skip and save act only on a roulette chat the caller is in. */
export function assertParticipant<M extends MatchPair>(match: M | undefined, userId: string): M {
  if (!match) throw notFound('Roulette chat not found');
  if (!isParticipant(match, userId)) throw forbidden('You are not in this roulette chat');
  return match;
}

/** A user we could not look up still gets a well-formed partner object. */
export function unknownUser(id: string): PublicUser {
  return { id, username: '', is_online: false, last_seen: null };
}
