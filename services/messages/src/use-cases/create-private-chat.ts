import { insertChat, insertParticipants } from '../db/queries/chats.js';
import { assertAllKnown, otherParticipants } from '../domain/chat.js';
import { chatView } from '../domain/chat-view.js';
import type { MessagesContext } from '../context.js';

/** A private chat of the caller and the listed users; every one must exist in auth. */
export async function createPrivateChat(ctx: MessagesContext, caller: { userId: string; username: string }, participantIds: string[]) {
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
