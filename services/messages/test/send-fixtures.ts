import { randomUUID } from 'node:crypto';
import type { Db } from '../src/db/queries/db.js';
import type { MessageToStore, NewMessage } from '../src/db/queries/send-message.js';

/** A chat of `users`, written straight to the database (the send statements' tests need no routes). */
export async function newChat(db: Db, users: string[], status: 'open' | 'closed' = 'open') {
  const id = randomUUID();
  await db.insertInto('chats').values({ id, type: 'private', status }).execute();
  await db.insertInto('chat_participants').values(users.map((u) => ({ chat_id: id, user_id: u, username: u.slice(0, 8) }))).execute();
  return id;
}

export function newMessage(chatId: string, userId: string, clientKey: string | null = null): NewMessage {
  const id = randomUUID();
  return { id, chat_id: chatId, user_id: userId, type: 'text', content: `c-${id}`, media_url: '', reply_to_id: null, client_key: clientKey, created_at: new Date() };
}

/** What a send statement takes for `m`: a frame prefix with the message's id, the seq to come. */
export const toStore = (m: NewMessage): MessageToStore => ({
  message: m,
  framePrefix: `{"type":"new_message","chat_id":"${m.chat_id}","payload":{"id":"${m.id}"},"seq":`,
  headers: { 'Msg-Id': m.id },
});
