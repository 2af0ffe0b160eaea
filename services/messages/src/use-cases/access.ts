import { findChat, isParticipant } from '../db/queries/chats.js';
import { findMessage } from '../db/queries/messages.js';
import type { Db } from '../db/queries/db.js';
import { assertChatFound, assertParticipant } from '../domain/chat.js';
import { assertLive } from '../domain/message.js';

/** The chat, for one of its participants: 404 when missing, 403 for anyone else. */
export async function chatForMember(db: Db, chatId: string, userId: string) {
  const chat = assertChatFound(await findChat(db, chatId));
  assertParticipant(await isParticipant(db, chatId, userId));
  return chat;
}

/**
 * A live message, for a participant of its chat: 404 when missing or deleted, 403 when the
 * caller is not in the chat (the same answer the chat routes give).
 */
export async function messageForMember(db: Db, messageId: string, userId: string) {
  const message = assertLive(await findMessage(db, messageId));
  assertParticipant(await isParticipant(db, message.chat_id, userId));
  return message;
}
