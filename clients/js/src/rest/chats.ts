import type { Chat, CreateChatBody, HistoryQuery, MessageObject, SendMessageInput } from '@chatroulette/contracts';
import { paths } from '../contract.js';
import { seg, type Http } from '../http.js';

/** Chats and their history. */
export function chatsApi(http: Http) {
  return {
    /** GET /chats: the caller's chats. */
    list: () => http<Chat[]>('GET', paths.chats),
    /** POST /chats: a private chat of the caller and `participant_ids`. */
    create: (body: CreateChatBody) => http<Chat>('POST', paths.chats, { body: { type: 'private', ...body } }),
    /** GET /chats/{id}: with `last_seq`, where a socket's `since` continues; 403 not a participant; 404. */
    get: (chatId: string) => http<Chat>('GET', `${paths.chats}/${seg(chatId)}`),
    /** GET /chats/{id}/messages: a page, oldest first. */
    messages: (chatId: string, query: HistoryQuery = {}) =>
      http<MessageObject[]>('GET', `${paths.chats}/${seg(chatId)}/messages`, { query: { ...query } }),
    /**
     * POST /chats/{id}/messages: 201 the message. A retry with the same `client_message_id` stores
     * nothing new and answers the first message. (A socket's `send` picks the transport and retries.)
     */
    send: (chatId: string, body: SendMessageInput) => http<MessageObject>('POST', `${paths.chats}/${seg(chatId)}/messages`, { body }),
  };
}
