import { chatsOfUser, participantsOf } from '../db/queries/chats.js';
import { chatView, legacyChatView } from '../domain/chat-view.js';
import type { MessagesContext } from '../context.js';

/** How many chats our GET /chats answers (it has no pages). */
const OUR_LIST_LIMIT = 500;

/** The caller's chats, newest activity first, with their participants. */
export async function listChats(ctx: MessagesContext, userId: string) {
  const chats = await chatsOfUser(ctx.db, userId, { limit: OUR_LIST_LIMIT, offset: 0, withoutClosedRoulette: false });
  return withParticipants(ctx, chats);
}

/**
 * The original product's list (a legacy token): one page, page 1 first, without the roulette chats
 * that ended unsaved, and a live roulette chat shown as the private chat it was there.
 */
export async function listChatsLegacy(ctx: MessagesContext, userId: string, page: { page: number; limit: number }) {
  const chats = await chatsOfUser(ctx.db, userId, { limit: page.limit, offset: (page.page - 1) * page.limit, withoutClosedRoulette: true });
  return { chats: (await withParticipants(ctx, chats)).map(legacyChatView), page: page.page, limit: page.limit };
}

async function withParticipants(ctx: MessagesContext, chats: Awaited<ReturnType<typeof chatsOfUser>>) {
  const participants = await participantsOf(ctx.db, chats.map((c) => c.id));
  return chats.map((c) => chatView(c, participants.filter((p) => p.chat_id === c.id)));
}
