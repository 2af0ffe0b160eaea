import {
  messagesChatsCreate,
  messagesChatsEnd,
  messagesChatsRecent,
  messagesChatsSave,
  REPORT_EVIDENCE_MESSAGES,
  type MessageObject,
  type Subjects,
} from '@chatroulette/contracts';
import { request, type NatsConnection } from '@chatroulette/nats';

/** Creates the roulette chats of matches; the messages service returns the same chat for a retried key. */
export async function createRouletteChats(nc: NatsConnection, subjects: Subjects, chats: { participantIds: [string, string]; key: string }[]) {
  return Promise.all(
    chats.map(async (c) => {
      const reply = await request(nc, subjects.messagesChatsCreate, messagesChatsCreate, { type: 'roulette', participant_ids: c.participantIds, key: c.key });
      return reply.chat;
    }),
  );
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
