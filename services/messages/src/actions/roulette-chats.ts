import { badRequest, forbidden } from '@chatroulette/errors';
import {
  findChatByKey,
  insertChatOnce,
  insertParticipants,
  isParticipant,
  lockChat,
  participantsOf,
  setChatStatus,
  setChatType,
} from '../db/queries/chats.js';
import { assertAllKnown, assertChatFound, assertSavable, closesOnEnd } from '../domain/chat.js';
import { chatView } from '../domain/chat-view.js';
import type { Ctx } from './context.js';
import { transact } from './transact.js';

/** The roulette chat of a match; idempotent on `key`, so a retried request gets the same chat. */
export async function createRouletteChat(ctx: Ctx, participantIds: string[], key: string) {
  const ids = [...new Set(participantIds.map((id) => id.toLowerCase()))];
  if (ids.length !== 2) throw badRequest('A roulette chat needs two different users');
  const existing = await findChatByKey(ctx.db, key);
  if (existing) return chatView(existing, await participantsOf(ctx.db, [existing.id]));
  const found = await ctx.users.lookup(ids);
  assertAllKnown(ids, found);
  const members = ids.map((id) => ({ user_id: id, username: found.get(id)! }));
  return ctx.db.transaction().execute(async (tx) => {
    const chat = await insertChatOnce(tx, { created_by: null, roulette_key: key });
    if (!chat) {
      // Lost a race with the same key: the other insert committed first.
      const other = assertChatFound(await findChatByKey(tx, key));
      return chatView(other, await participantsOf(tx, [other.id]));
    }
    await insertParticipants(tx, chat.id, members);
    return chatView(chat, members);
  });
}

/**
 * A user left the roulette chat: emits chatroulette_left and closes the chat unless it was saved.
 * Ending a closed chat again returns it as it is, without a second event.
 */
export async function endChat(ctx: Ctx, chatId: string, left: { userId: string; username: string }) {
  return transact(ctx, async (tx, outbox) => {
    const chat = assertChatFound(await lockChat(tx, chatId));
    if (chat.status === 'closed') return { chat_id: chat.id, closed: true, seq: chat.last_seq };
    if (!(await isParticipant(tx, chatId, left.userId))) throw forbidden('Not a participant of this chat');
    const seq = await outbox.emit(chatId, 'chatroulette_left', { user_id: left.userId, username: left.username });
    const closed = closesOnEnd(chat);
    if (closed) await setChatStatus(tx, chatId, 'closed');
    return { chat_id: chat.id, closed, seq };
  });
}

/** Keeps a roulette chat: its type becomes `saved`; nothing else changes. */
export async function saveChat(ctx: Ctx, chatId: string, userId: string) {
  return ctx.db.transaction().execute(async (tx) => {
    const chat = assertChatFound(await lockChat(tx, chatId));
    if (!(await isParticipant(tx, chatId, userId))) throw forbidden('Not a participant of this chat');
    assertSavable(chat);
    const saved = await setChatType(tx, chatId, 'saved');
    return { ...chatView(saved, await participantsOf(tx, [chatId])), type: 'saved' as const };
  });
}
