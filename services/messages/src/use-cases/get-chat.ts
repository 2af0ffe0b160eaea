import { participantsOf } from '../db/queries/chats.js';
import { chatView } from '../domain/chat-view.js';
import type { MessagesContext } from '../context.js';
import { chatForMember } from './access.js';

/** One chat, for one of its participants. */
export async function getChat(ctx: MessagesContext, userId: string, chatId: string) {
  const chat = await chatForMember(ctx.db, chatId, userId);
  return chatView(chat, await participantsOf(ctx.db, [chat.id]));
}
