import { messagesByIds } from '../db/queries/chat-extras.js';
import { chatsOfUser, participantsOf } from '../db/queries/chats.js';
import { chatForParticipant, chatView, legacyChatView } from '../domain/chat-view.js';
import type { MessagesContext } from '../context.js';
import { messageObjects } from './message-views.js';

/** How many chats our GET /chats answers (it has no pages). */
const OUR_LIST_LIMIT = 500;

/** The caller's chats, newest activity first, with their participants, unread counts and last messages. */
export async function listChats(ctx: MessagesContext, userId: string) {
  const chats = await chatsOfUser(ctx.db, userId, { limit: OUR_LIST_LIMIT, offset: 0, withoutClosedRoulette: false });
  return views(ctx, chats);
}

/**
 * The original product's list (a legacy token): one page, page 1 first, without the roulette chats
 * that ended unsaved, and a live roulette chat shown as the private chat it was there. The unread
 * count and last message are there too: extra fields, which its clients ignore.
 */
export async function listChatsLegacy(ctx: MessagesContext, userId: string, page: { page: number; limit: number }) {
  const chats = await chatsOfUser(ctx.db, userId, { limit: page.limit, offset: (page.page - 1) * page.limit, withoutClosedRoulette: true });
  return { chats: (await views(ctx, chats)).map(legacyChatView), page: page.page, limit: page.limit };
}

/** The page's participants and last messages, each fetched once for the whole page. */
async function views(ctx: MessagesContext, chats: Awaited<ReturnType<typeof chatsOfUser>>) {
  const lastIds = chats.flatMap((c) => (c.last_message_id ? [c.last_message_id] : []));
  const [participants, lastRows] = await Promise.all([participantsOf(ctx.db, chats.map((c) => c.id)), messagesByIds(ctx.db, lastIds)]);
  const last = new Map((await messageObjects(ctx, ctx.db, lastRows)).map((m) => [m.id, m]));
  return chats.map((c) =>
    chatForParticipant(chatView(c, participants.filter((p) => p.chat_id === c.id)), {
      unread_count: c.unread_count,
      last_message: (c.last_message_id && last.get(c.last_message_id)) || null,
    }),
  );
}
