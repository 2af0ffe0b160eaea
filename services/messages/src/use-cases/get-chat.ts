import { chatExtras, messagesByIds } from '../db/queries/chat-extras.js';
import { participantsOf } from '../db/queries/chats.js';
import { chatForParticipant, chatView } from '../domain/chat-view.js';
import type { MessagesContext } from '../context.js';
import { chatForMember } from './access.js';
import { messageObjects } from './message-views.js';

/** One chat, for one of its participants, with that participant's unread count and the last message. */
export async function getChat(ctx: MessagesContext, userId: string, chatId: string) {
  const chat = await chatForMember(ctx.db, chatId, userId);
  const [participants, extras] = await Promise.all([participantsOf(ctx.db, [chat.id]), chatExtras(ctx.db, chat.id, userId)]);
  const lastRows = extras.last_message_id ? await messagesByIds(ctx.db, [extras.last_message_id]) : [];
  const [lastMessage] = await messageObjects(ctx, ctx.db, lastRows);
  return chatForParticipant(chatView(chat, participants), { unread_count: extras.unread_count, last_message: lastMessage ?? null });
}
