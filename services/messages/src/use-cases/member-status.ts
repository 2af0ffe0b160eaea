import { findChat, participantsOf } from '../db/queries/chats.js';
import { assertChatFound } from '../domain/chat.js';
import type { MessagesContext } from '../context.js';

/**
 * For the gateway's upgrade and live frames: is the user in the chat, who else is, whether it is
 * still open, and where its event log stood when the chat row (status and last_seq together) was read.
 */
export async function memberStatus(ctx: MessagesContext, chatId: string, userId: string) {
  const chat = assertChatFound(await findChat(ctx.db, chatId));
  const participants = (await participantsOf(ctx.db, [chatId])).map((p) => p.user_id);
  return { is_member: participants.includes(userId), last_seq: chat.last_seq, participants, open: chat.status === 'open' };
}
