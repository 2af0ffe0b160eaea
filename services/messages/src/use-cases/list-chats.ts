import { chatsOfUser, participantsOf } from '../db/queries/chats.js';
import { chatView } from '../domain/chat-view.js';
import type { MessagesContext } from '../context.js';

/** The caller's chats, newest activity first, with their participants. */
export async function listChats(ctx: MessagesContext, userId: string) {
  const chats = await chatsOfUser(ctx.db, userId);
  const participants = await participantsOf(ctx.db, chats.map((c) => c.id));
  return chats.map((c) => chatView(c, participants.filter((p) => p.chat_id === c.id)));
}
