import { findChat, isParticipant } from '../db/queries/chats.js';
import { assertChatFound } from '../domain/chat.js';
import type { MessagesContext } from '../context.js';

/** For the gateway's upgrade: is the user in the chat, and where does its event log stand. */
export async function memberStatus(ctx: MessagesContext, chatId: string, userId: string) {
  const chat = assertChatFound(await findChat(ctx.db, chatId));
  return { is_member: await isParticipant(ctx.db, chatId, userId), last_seq: chat.last_seq };
}
