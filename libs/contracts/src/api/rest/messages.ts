import { z } from 'zod';
import { readStatePayload } from '../../events.js';
import { editMessageBody, messageObject, sendMessageBody } from '../../message.js';
import { apiPaths } from '../../rest-routes.js';
import {
  chatList,
  chatObject,
  readerChat,
  createChatBody,
  createNamedChatBody,
  deletedMessage,
  history,
  historyQuery,
  legacyChatsQuery,
  legacyHistoryQuery,
  likeAnswer,
  likesAnswer,
} from '../schemas/chats.js';
import { json, route, type RestRoute } from './route.js';

const chat = `${apiPaths.chats}/{chat_id}`;
const message = `${apiPaths.messages}/{message_id}`;
const legacyShape = 'A legacy token (from /api/v1/login or /register) gets the original\'s page `{…, page, limit}` and takes `page`; every other token gets ours and takes the other parameters. A parameter of the other kind is a 400.';

const like = (method: 'post' | 'delete') =>
  route({
    method,
    path: `${message}/like`,
    tag: 'messages',
    summary: method === 'post' ? 'Like a message' : 'Unlike a message',
    description: 'Once per user; again is a no-op that answers the current state (and no event).',
    auth: 'bearer',
    answers: { 200: json('The likes', likeAnswer) },
    errors: [403, 404],
  });

/** The messages service's routes: chats and messages (apiPaths.chats, apiPaths.messages). */
export const messagesRoutes: RestRoute[] = [
  route({
    method: 'get',
    path: apiPaths.chats,
    tag: 'chats',
    summary: 'The caller\'s chats',
    description: legacyShape,
    auth: 'bearer',
    query: legacyChatsQuery,
    answers: { 200: json('The chats, most recently active first', chatList) },
  }),
  route({
    method: 'post',
    path: apiPaths.chats,
    tag: 'chats',
    summary: 'Create a private chat',
    description: 'Ours: `{type, participant_ids}` (the caller and the listed users). The original\'s: `{name, description?, type}` and no participant_ids, a chat of the caller alone.',
    auth: 'bearer',
    body: { schema: z.union([createChatBody, createNamedChatBody]), example: { type: 'private', participant_ids: ['0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f'] } },
    answers: { 201: json('The chat', chatObject) },
    errors: [400, 403],
  }),
  route({
    method: 'get',
    path: chat,
    tag: 'chats',
    summary: 'One chat',
    auth: 'bearer',
    answers: { 200: json('The chat, with `last_seq` for the socket\'s `since`, the unread count and the last message', readerChat) },
    errors: [403, 404],
  }),
  route({
    method: 'get',
    path: `${chat}/messages`,
    tag: 'chats',
    summary: 'The chat\'s history',
    description: legacyShape,
    auth: 'bearer',
    query: historyQuery.extend(legacyHistoryQuery.shape).partial(),
    answers: { 200: json('One page of messages', history) },
    errors: [403, 404],
  }),
  route({
    method: 'post',
    path: `${chat}/messages`,
    tag: 'messages',
    summary: 'Send a message',
    description: '`text` needs `content`; the media types need `media_url` (an http(s) URL or a `/uploads/` path). A retry with the same `client_message_id` stores nothing new and answers the first message.',
    auth: 'bearer',
    body: { schema: sendMessageBody, example: { type: 'text', content: 'Hello!', client_message_id: 'c-42' } },
    answers: { 201: json('The message; new_message goes to the chat', messageObject) },
    errors: [403, 404, 409],
  }),
  route({
    method: 'put',
    path: `${message}/edit`,
    tag: 'messages',
    summary: 'Edit an own message',
    auth: 'bearer',
    body: { schema: editMessageBody, example: { content: 'Hello again!' } },
    answers: { 200: json('The message; message_edited goes to the chat', messageObject) },
    errors: [403, 404],
  }),
  route({
    method: 'delete',
    path: message,
    tag: 'messages',
    summary: 'Delete an own message',
    auth: 'bearer',
    answers: { 200: json('Deleted; message_deleted goes to the chat', deletedMessage) },
    errors: [403, 404],
  }),
  route({
    method: 'put',
    path: `${message}/read`,
    tag: 'messages',
    summary: 'Mark a message read',
    description: 'Marking one\'s own message read changes nothing.',
    auth: 'bearer',
    answers: { 200: json('Who read it; message_status_update goes to the chat', readStatePayload) },
    errors: [403, 404],
  }),
  route({
    method: 'get',
    path: `${message}/status`,
    tag: 'messages',
    summary: 'A message\'s status and readers',
    auth: 'bearer',
    answers: { 200: json('Who read it', readStatePayload) },
    errors: [403, 404],
  }),
  like('post'),
  like('delete'),
  route({
    method: 'get',
    path: `${message}/likes`,
    tag: 'messages',
    summary: 'Who likes a message',
    auth: 'bearer',
    answers: { 200: json('The likes, and whether the caller likes it', likesAnswer) },
    errors: [403, 404],
  }),
];
