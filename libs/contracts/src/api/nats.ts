import type { z } from 'zod';
import { chatEventFrameSchema, chatEventTypes, eventHeaders, userEventFrameSchema, userEventTypes } from '../events.js';
import type { NatsUser } from '../nats-permissions.js';
import {
  authKeysGet,
  authUsersGet,
  gatewayHeartbeat,
  messagesChatsCreate,
  messagesChatsCreateMany,
  messagesChatsEnd,
  messagesChatsMember,
  messagesChatsSave,
  messagesDeliveriesReport,
  messagesEventsList,
  presenceEvent,
  userPresenceEvent,
} from '../requests.js';
import { retiredKey, revocationBucket, revocationKeys, revokedToken, revokedUserTokens } from '../revocations.js';
import { createSubjects } from '../subjects.js';
import { messagesRead, messagesSend } from '../socket-sends.js';
import { authBlocksCreate, authBlocksList, blockEvent } from '../blocks.js';
import { messagesChatsRecent } from '../reports.js';
import { liveHeaders, liveKinds } from '../live.js';
import { serverFrameCatalogue } from './socket.js';

/** One NATS subject between services: who publishes, who subscribes, its body (and reply) and headers. */
export interface NatsChannel {
  /** Its key in the AsyncAPI document. */
  name: string;
  /** The subject without a namespace, `{name}` for each variable token (from the builders of subjects.ts). */
  subject: string;
  /** The variable tokens: a description, or the values it takes. */
  parameters?: Record<string, { description: string; enum?: readonly string[] }>;
  summary: string;
  publishers: readonly NatsUser[];
  subscribers: readonly NatsUser[];
  /** The JSON body. */
  payload: z.ZodType;
  /** A request's reply (an error reply is `{error, code}` with the Status header). */
  reply?: z.ZodType;
  /** Headers beside the body, name to description. */
  headers?: Record<string, string>;
  /** The JetStream stream that keeps it, if any. */
  stream?: string;
}

// Subjects with `{name}` placeholders, from the same builders the services use.
const s = createSubjects();
const chatId = { chat_id: { description: 'The chat' } };
const userId = { user_id: { description: 'The user' } };
const dedup = (what: string) => ({ [eventHeaders.dedupId]: `JetStream's de-duplication id: ${what}` });

const request = (name: string, subject: string, summary: string, from: readonly NatsUser[], to: NatsUser, contract: { request: z.ZodType; reply: z.ZodType }): NatsChannel => ({
  name,
  subject,
  summary,
  publishers: from,
  subscribers: [to],
  payload: contract.request,
  reply: contract.reply,
});

const revocation = (name: string, key: string, parameter: string, summary: string, payload: z.ZodType): NatsChannel => ({
  name,
  subject: `$KV.${revocationBucket()}.${key}`,
  parameters: { [parameter]: { description: summary } },
  summary: `Key-value bucket ${revocationBucket()}: ${summary}`,
  publishers: ['auth'],
  subscribers: ['gateway', 'messages', 'roulette', 'media'],
  payload,
});

/**
 * Every subject between the services, the one list the AsyncAPI document's NATS part is built from.
 * A new subject is one entry here (and its builder in subjects.ts, its permissions in nats-permissions.ts).
 */
export const natsCatalogue: readonly NatsChannel[] = [
  ...chatEventTypes.map(
    (type): NatsChannel => ({
      name: `chat.${type}`,
      subject: s.chatEvent('{chat_id}', type),
      parameters: chatId,
      summary: `The chat event ${type}: the body is the client frame, forwarded as bytes`,
      publishers: ['messages'],
      subscribers: ['gateway'],
      payload: chatEventFrameSchema(type),
      headers: {
        [eventHeaders.seq]: 'The event\'s seq in its chat',
        ...(type === 'new_message' ? { [eventHeaders.author]: 'The author (for delivery receipts)', [eventHeaders.messageId]: 'The message (for delivery receipts)' } : {}),
        ...dedup('`<chat_id>:<seq>`'),
      },
      stream: s.chatEventsStream,
    }),
  ),
  ...userEventTypes.map(
    (type): NatsChannel => ({
      name: `user.${type}`,
      subject: s.userEvent('{user_id}', type),
      parameters: userId,
      summary: `The user event ${type}: the body is the client frame, sent to every socket of the user`,
      publishers: ['roulette'],
      subscribers: ['gateway'],
      payload: userEventFrameSchema(type),
      headers: dedup('`<match_id>:<user_id>`'),
      stream: s.userEventsStream,
    }),
  ),
  {
    name: 'user.presence',
    subject: s.userPresence('{user_id}'),
    parameters: userId,
    summary: 'The user\'s online state across every gateway changed (auth owns presence)',
    publishers: ['auth'],
    subscribers: ['roulette'],
    payload: userPresenceEvent,
  },
  {
    name: 'presence',
    subject: s.presence('{user_id}', '{state}' as 'online'),
    parameters: { ...userId, state: { description: 'First socket of the user on this gateway, or last one closed', enum: ['online', 'offline'] } },
    summary: 'A gateway\'s first or last socket of a user',
    publishers: ['gateway'],
    subscribers: ['auth'],
    payload: presenceEvent,
  },
  {
    name: 'gateway.heartbeat',
    subject: s.gatewayHeartbeat,
    summary: 'A gateway is alive; one silent for 3 intervals is gone, and so is the presence it recorded',
    publishers: ['gateway'],
    subscribers: ['auth'],
    payload: gatewayHeartbeat,
  },
  request('auth.keys.get', s.authKeysGet, 'The public keys that verify tokens', ['gateway', 'messages', 'roulette', 'media'], 'auth', authKeysGet),
  request('auth.users.get', s.authUsersGet, 'Users by id', ['messages', 'roulette'], 'auth', authUsersGet),
  request('messages.chats.create', s.messagesChatsCreate, 'A roulette chat for a match (idempotent by key)', ['roulette'], 'messages', messagesChatsCreate),
  request('messages.chats.create_many', s.messagesChatsCreateMany, 'The roulette chats of a batch of matches (each idempotent by key), in one request', ['roulette'], 'messages', messagesChatsCreateMany),
  request('messages.chats.member', s.messagesChatsMember, 'Whether a user is in a chat, and its last seq (the socket upgrade)', ['gateway'], 'messages', messagesChatsMember),
  request('messages.chats.end', s.messagesChatsEnd, 'A user left a roulette chat: it closes (unless saved) and gets chatroulette_left', ['roulette'], 'messages', messagesChatsEnd),
  request('messages.chats.save', s.messagesChatsSave, 'Keep a roulette chat', ['roulette'], 'messages', messagesChatsSave),
  request('messages.events.list', s.messagesEventsList, 'A chat\'s events after a seq, from its event log (replays, gap fills)', ['gateway'], 'messages', messagesEventsList),
  {
    name: 'messages.deliveries.report',
    subject: s.messagesDeliveriesReport,
    summary: 'Sockets of these users received these messages (batched; no reply): their status becomes delivered',
    publishers: ['gateway'],
    subscribers: ['messages'],
    payload: messagesDeliveriesReport,
  },
  ...liveKinds.map(
    (kind): NatsChannel => ({
      name: `live.${kind}`,
      subject: s.liveFrame('{chat_id}', kind),
      parameters: chatId,
      summary: `A socket's ${kind} frame, as the chat's other participants get it, to every gateway with sockets on the chat (core NATS: in no stream, never replayed)`,
      publishers: ['gateway'],
      subscribers: ['gateway'],
      payload: serverFrameCatalogue.find((f) => f.type === kind)!.schema,
      headers: {
        [liveHeaders.from]: 'The sender\'s user id: its own sockets never get the frame',
        ...(kind === 'typing' ? { [liveHeaders.typing]: '`true` or `false`, for the receiving gateway\'s throttle' } : {}),
      },
    }),
  ),
  {
    name: 'block',
    subject: s.userBlock('{blocker_id}', '{blocked_id}'),
    parameters: { blocker_id: { description: 'Who blocks' }, blocked_id: { description: 'Who is blocked' } },
    summary: 'The state of one block after a block or an unblock (the highest version of a pair wins); messages and roulette keep a copy through their durable consumers, the gateways follow it for their users',
    publishers: ['auth'],
    subscribers: ['messages', 'roulette', 'gateway'],
    payload: blockEvent,
    headers: dedup('the pair and its version'),
    stream: s.blockEventsStream,
  },
  request('auth.blocks.list', s.authBlocksList, 'A user\'s blocks both ways (a gateway, at the user\'s first admission)', ['gateway'], 'auth', authBlocksList),
  request('auth.blocks.create', s.authBlocksCreate, 'A block made for a user by a report (auth owns blocks)', ['roulette'], 'auth', authBlocksCreate),
  request('messages.chats.recent', s.messagesChatsRecent, 'A chat\'s newest messages as they are now (a report\'s evidence)', ['roulette'], 'messages', messagesChatsRecent),
  request('messages.send', s.messagesSend, 'A socket\'s send_message frame or a REST send taken by the gateway: store the message as POST /chats/{id}/messages does (its body checked here, the same answers)', ['gateway'], 'messages', messagesSend),
  request('messages.read', s.messagesRead, 'A socket\'s mark_read frame: as PUT /messages/{id}/read', ['gateway'], 'messages', messagesRead),
  revocation('revocations.token', revocationKeys.token('{jti}'), 'jti', 'one token is refused (a logout)', revokedToken),
  revocation('revocations.user', revocationKeys.user('{user_id}'), 'user_id', 'a user\'s tokens issued before valid_from are refused (a password change)', revokedUserTokens),
  revocation('revocations.key', revocationKeys.key('{kid}'), 'kid', 'every token of a signing key is refused (a retired key)', retiredKey),
];
