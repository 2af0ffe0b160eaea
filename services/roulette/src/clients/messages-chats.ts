import {
  CREATE_MANY_MAX_CHATS,
  messagesChatsCreateMany,
  messagesChatsEnd,
  messagesChatsRecent,
  messagesChatsSave,
  REPORT_EVIDENCE_MESSAGES,
  type MessageObject,
  type Subjects,
} from '@chatroulette/contracts';
import { request, type NatsConnection } from '@chatroulette/nats';

/**
 * Creates the roulette chats of matches, a request per CREATE_MANY_MAX_CHATS; the messages service
 * returns the same chat for a retried key. In the given order; null where messages refused one.
 */
export async function createRouletteChats(nc: NatsConnection, subjects: Subjects, chats: { participantIds: [string, string]; key: string }[]) {
  const chunks = Array.from({ length: Math.ceil(chats.length / CREATE_MANY_MAX_CHATS) }, (_, i) => chats.slice(i * CREATE_MANY_MAX_CHATS, (i + 1) * CREATE_MANY_MAX_CHATS));
  const replies = await Promise.all(
    chunks.map((chunk) =>
      request(nc, subjects.messagesChatsCreateMany, messagesChatsCreateMany, { chats: chunk.map((c) => ({ participant_ids: c.participantIds, key: c.key })) }),
    ),
  );
  return replies.flatMap((r) => r.chats);
}

/** Emits chatroulette_left on the chat and closes it unless it was saved. */
export async function endRouletteChat(
  nc: NatsConnection,
  subjects: Subjects,
  body: { chat_id: string; left_user_id: string; left_username: string },
) {
  return request(nc, subjects.messagesChatsEnd, messagesChatsEnd, body);
}

/** Turns the roulette chat into a saved chat (409 when it already is). */
export async function saveRouletteChat(nc: NatsConnection, subjects: Subjects, body: { chat_id: string; user_id: string }) {
  return request(nc, subjects.messagesChatsSave, messagesChatsSave, body);
}

/** The chat's newest messages as they are now, oldest first: a report keeps them as its evidence. */
export async function recentMessages(nc: NatsConnection, subjects: Subjects, chatId: string): Promise<MessageObject[]> {
  const reply = await request(nc, subjects.messagesChatsRecent, messagesChatsRecent, { chat_id: chatId, limit: REPORT_EVIDENCE_MESSAGES });
  return reply.messages;
}
