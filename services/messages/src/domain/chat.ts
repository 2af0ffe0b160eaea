import { limits } from '@chatroulette/contracts';
import { AppError, badRequest, conflict, forbidden, notFound } from '@chatroulette/errors';

export interface ChatLike {
  id: string;
  type: 'private' | 'roulette' | 'saved';
  status: 'open' | 'closed';
}

/** What the roulette's chats are called; a name given by a user never contains "Chatroulette" (libs/contracts givenChatName). */
export const ROULETTE_CHAT_NAME = 'Chatroulette Chat';
export const SAVED_CHAT_NAME = 'Saved Chat - Chatroulette Chat';

/** Every chat's `name`: by its type for roulette and saved chats, else the one given at creation ('' if none). */
export function chatName(chat: { type: string; name: string }): string {
  if (chat.type === 'roulette') return ROULETTE_CHAT_NAME;
  if (chat.type === 'saved') return SAVED_CHAT_NAME;
  return chat.name;
}

/**
 * The other members of a new private chat: duplicates and the caller removed, at least one left
 * unless the caller may be alone (the original's named chat, created without participants).
 */
export function otherParticipants(callerId: string, requested: string[], opts: { alone: boolean } = { alone: false }): string[] {
  const others = [...new Set(requested.map((id) => id.toLowerCase()))].filter((id) => id !== callerId.toLowerCase());
  if (others.length === 0 && !opts.alone) throw badRequest('Invalid participant_ids: a chat needs at least one other user');
  if (others.length + 1 > limits.maxParticipants) {
    throw badRequest(`Invalid participant_ids: at most ${limits.maxParticipants} participants`);
  }
  return others;
}

/** Every requested user must exist. */
export function assertAllKnown(requested: string[], found: Map<string, string>): void {
  const unknown = requested.filter((id) => !found.has(id));
  if (unknown.length > 0) throw badRequest(`Unknown user: ${unknown[0]}`);
}

export function assertChatFound<T>(chat: T | undefined): T {
  if (!chat) throw notFound('Chat not found');
  return chat;
}

export function assertParticipant(isMember: boolean): void {
  if (!isMember) throw forbidden('Not a participant of this chat');
}

/** Nothing passes between a blocked pair (either way): no send, like or new chat. */
export function assertNotBlocked(blocked: boolean): void {
  if (blocked) throw new AppError('blocked', 'Blocked: one of you has blocked the other');
}

/** A closed roulette chat takes no new messages. */
export function assertOpen<T extends Pick<ChatLike, 'status'>>(chat: T): void {
  if (chat.status === 'closed') throw conflict('This chat is closed');
}

/** Only a roulette chat can be saved, once. */
export function assertSavable(chat: ChatLike): void {
  if (chat.type === 'saved') throw conflict('Chat already saved');
  if (chat.type !== 'roulette') throw badRequest('Only a roulette chat can be saved');
}

/**
 * Only roulette ends a chat (messages.chats.end, when a user leaves the match): a roulette chat, or
 * one saved from it. A private chat is never ended that way; refusing it keeps a request forged on
 * the NATS from closing a private chat or adding a chatroulette_left to it.
 */
export function assertEndable(chat: ChatLike): void {
  if (chat.type === 'private') throw badRequest('Only a roulette chat can be ended; this chat is private');
}

/** Ending a roulette chat closes it, unless it was saved (a saved chat lives on). */
export function closesOnEnd(chat: ChatLike): boolean {
  return chat.type !== 'saved';
}
