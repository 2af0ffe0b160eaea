import { z } from 'zod';
import { chatEventFrameSchema, chatEventTypes, userEventFrameSchema, type ChatEventType } from '../events.js';
import { uuid } from '../ids.js';
import { readStatePayload } from '../events.js';
import { messageObject, sendMessageBody } from '../message.js';
import { markReadBody } from '../socket-sends.js';
import { rtcSignalKinds } from '../socket.js';

/** One kind of socket frame: its `type`, the schema of the whole frame, and what it is for. */
export interface SocketFrame {
  type: string;
  summary: string;
  schema: z.ZodObject;
}

/** What each chat event tells (every participant with a socket on the chat receives it, in commit order). */
const chatEventSummaries: Record<ChatEventType, string> = {
  new_message: 'A message was sent to the chat (the message object)',
  message_edited: 'A message was edited',
  message_deleted: 'A message was deleted',
  message_status_update: 'A message was read by another participant',
  message_liked: 'A message was liked',
  message_unliked: 'A like was taken back',
  chatroulette_left: 'The partner left the roulette chat (a skip, or gone past the grace period)',
};

const errorPayload = z.object({
  code: z.string(),
  message: z.string(),
  /** A refused send_message or mark_read: the status the REST route would have answered. */
  status: z.number().int().optional(),
  /** A refused frame past its budget (or 503): when to try again. */
  retry_after_ms: z.number().int().positive().optional(),
});
const liveUser = { user_id: uuid, username: z.string() };
/** A client's name for a frame it wants answered (`ack` or error), echoed in the answer. */
const socketRef = z.string().min(1).max(64);

/**
 * Every frame the gateway sends, the one list the AsyncAPI document (and the client frames' parser
 * below) is built from. A new frame is one entry; a new chat or user event comes from events.ts.
 */
export const serverFrameCatalogue: readonly SocketFrame[] = [
  ...chatEventTypes.map((type) => ({ type, summary: chatEventSummaries[type], schema: chatEventFrameSchema(type) })),
  {
    type: 'chatroulette_match',
    summary: 'A roulette match: the partner and the new chat (on every socket of the user, whatever its chat)',
    schema: userEventFrameSchema('chatroulette_match'),
  },
  {
    type: 'recovery',
    summary: 'After a reconnect with `since`: whether every missed event was replayed (false: reload the history over REST)',
    schema: z.object({ type: z.literal('recovery'), chat_id: uuid, payload: z.object({ recovered: z.boolean(), seq: z.number().int().nonnegative() }) }),
  },
  {
    type: 'auth_ok',
    summary: 'An auth frame was accepted: the socket now lives until `exp` (seconds since the epoch)',
    schema: z.object({ type: z.literal('auth_ok'), payload: z.object({ exp: z.number().int() }) }),
  },
  { type: 'pong', summary: 'The answer to a ping', schema: z.object({ type: z.literal('pong') }) },
  {
    type: 'typing',
    summary: 'Another participant is typing (or stopped); ephemeral: no seq, never replayed. Show it for about 5 s',
    schema: z.object({ type: z.literal('typing'), chat_id: uuid, payload: z.object({ ...liveUser, is_typing: z.boolean() }) }),
  },
  {
    type: 'user_status',
    summary: 'Another participant came online (first socket anywhere) or went offline (last socket anywhere closed)',
    schema: z.object({
      type: z.literal('user_status'),
      chat_id: uuid,
      payload: z.object({ ...liveUser, is_online: z.boolean(), last_seen: z.string().nullable() }),
    }),
  },
  {
    type: 'rtc_signal',
    summary: 'A WebRTC signal from another participant, as it was sent',
    schema: z.object({
      type: z.literal('rtc_signal'),
      chat_id: uuid,
      payload: z.object({ from: uuid, kind: z.enum(rtcSignalKinds), data: z.unknown().optional() }),
    }),
  },
  {
    type: 'error',
    summary:
      'A client frame was refused (malformed, unknown, not allowed); the socket stays open unless a close follows. A refused send_message or mark_read has its `ref` and the `status` the REST route would have answered',
    schema: z.object({ type: z.literal('error'), ref: socketRef.optional(), chat_id: uuid.optional(), payload: errorPayload }),
  },
  {
    type: 'ack',
    summary: 'The answer to a send_message (the message object, as the 201 of the REST route) or a mark_read (the read state)',
    schema: z.object({ type: z.literal('ack'), ref: socketRef, payload: z.union([messageObject, readStatePayload]) }),
  },
];

/** Frames a client may send, by type. Anything else gets an error frame, never a dropped connection. */
export const clientFrames = {
  ping: { summary: 'Asks for a pong', schema: z.object({ type: z.literal('ping') }) },
  auth: {
    summary: 'A token: the first frame of a socket opened without one (`?auth=frame`), or a fresh token before the current one expires',
    schema: z.object({ type: z.literal('auth'), token: z.string().min(1).max(8192) }),
  },
  typing: {
    summary: 'The user is typing (or stopped) in a chat: to its other participants as `typing`; `chat_id` may be left out on a socket opened with one, the payload too (true)',
    schema: z.object({
      type: z.literal('typing'),
      chat_id: uuid.optional(),
      payload: z.object({ is_typing: z.boolean().default(true) }).default({ is_typing: true }),
    }),
  },
  rtc_signal: {
    summary: 'A WebRTC signal (offer, answer, candidate, hangup) to the other participants of an open chat, unchanged and in order; at most 16 KiB',
    // `kind` is read as a string here: an unknown one has its own error code (liveErrorCodes.unknownKind).
    schema: z.object({ type: z.literal('rtc_signal'), chat_id: uuid.optional(), payload: z.object({ kind: z.string(), data: z.unknown().optional() }) }),
  },
  send_message: {
    summary: 'Sends a message as POST /chats/{chat_id}/messages does (`chat_id` defaults to the socket\'s); answered once to this socket by `ack` or an error frame with the same `ref`',
    // The payload is checked by the messages service, as the REST route checks its body (the same 400s).
    schema: z.object({ type: z.literal('send_message'), ref: socketRef, chat_id: uuid.optional(), payload: sendMessageBody }),
    parse: z.object({ type: z.literal('send_message'), ref: socketRef, chat_id: uuid.optional(), payload: z.unknown() }),
  },
  mark_read: {
    summary: 'Marks a message read as PUT /messages/{message_id}/read does; answered once by `ack` or an error frame with the same `ref`',
    schema: z.object({ type: z.literal('mark_read'), ref: socketRef, chat_id: uuid.optional(), payload: markReadBody }),
    parse: z.object({ type: z.literal('mark_read'), ref: socketRef, chat_id: uuid.optional(), payload: z.unknown() }),
  },
} satisfies Record<string, Omit<SocketFrame, 'type'> & { parse?: z.ZodObject }>;
export type ClientFrameType = keyof typeof clientFrames;
/** What the gateway parses: the schema, or for a frame whose payload its owner checks, `parse`. */
type Parsed<F> = F extends { parse: infer P extends z.ZodType } ? P : F extends { schema: infer S extends z.ZodType } ? S : never;
export type ClientFrameOf<T extends ClientFrameType> = z.infer<Parsed<(typeof clientFrames)[T]>>;

export const clientFrameCatalogue: readonly SocketFrame[] = Object.entries(clientFrames).map(([type, f]) => ({ type, summary: f.summary, schema: f.schema }));

/** A client frame, parsed: one of clientFrames. */
export const clientFrame = z.discriminatedUnion('type', [
  clientFrames.ping.schema,
  clientFrames.auth.schema,
  clientFrames.typing.schema,
  clientFrames.rtc_signal.schema,
  clientFrames.send_message.parse,
  clientFrames.mark_read.parse,
]);
export type ClientFrame = z.infer<typeof clientFrame>;

/** The socket URL's query (and the subprotocols that stand for it). */
export const socketQuery = z.object({
  token: z.string().optional().meta({ description: 'The JWT; or the subprotocol `bearer.<jwt>` beside a name of the client\'s own; or none with `auth=frame`' }),
  chat_id: uuid.optional().meta({ description: 'The chat whose events this socket receives (a participant only, else 403)' }),
  since: z.string().regex(/^\d{1,15}$/).optional().meta({ description: 'The last seq seen: the missed events are replayed first' }),
  auth: z.literal('frame').optional().meta({ description: 'The token comes in the first frame (or the subprotocol `auth.first-frame`)' }),
});
