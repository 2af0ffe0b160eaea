import { chatsOfUser, insertChat, insertParticipants, participantsOf } from '../db/queries/chats.js';
import { assertAllKnown, otherParticipants } from '../domain/chat.js';
import { chatView } from '../domain/chat-view.js';
import { chatForMember } from './access.js';
import type { Ctx } from './context.js';

/** A private chat of the caller and the listed users; every one must exist in auth. */
export async function createPrivateChat(ctx: Ctx, caller: { userId: string; username: string }, participantIds: string[]) {
  const others = otherParticipants(caller.userId, participantIds);
  const found = await ctx.users.lookup([caller.userId, ...others]);
  assertAllKnown(others, found);
  const members = [caller.userId, ...others].map((id) => ({ user_id: id, username: found.get(id) ?? caller.username }));
  return ctx.db.transaction().execute(async (tx) => {
    const chat = await insertChat(tx, { type: 'private', created_by: caller.userId });
    await insertParticipants(tx, chat.id, members);
    return chatView(chat, members);
  });
}

/** The caller's chats, newest activity first, with their participants. */
export async function listChats(ctx: Ctx, userId: string) {
  const chats = await chatsOfUser(ctx.db, userId);
  const participants = await participantsOf(ctx.db, chats.map((c) => c.id));
  return chats.map((c) => chatView(c, participants.filter((p) => p.chat_id === c.id)));
}

export async function getChat(ctx: Ctx, userId: string, chatId: string) {
  const chat = await chatForMember(ctx.db, chatId, userId);
  return chatView(chat, await participantsOf(ctx.db, [chat.id]));
}
