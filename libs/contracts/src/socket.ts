import { z } from 'zod';
import { uuid } from './ids.js';

/** What a WebRTC signal may be: the session description exchange, ICE candidates, and the end of a call. */
export const rtcSignalKinds = ['offer', 'answer', 'candidate', 'hangup'] as const;
export type RtcSignalKind = (typeof rtcSignalKinds)[number];

/** A client's name for a frame it wants answered (`ack` or error), echoed in the answer. */
const socketRef = z.string().min(1).max(64);

/**
 * Frames a client may send, by type: the gateway keeps one handler per type (its frame table).
 * Anything else gets an error frame, never a dropped connection. `chat_id` of the live frames may
 * be left out on a socket opened with one.
 */
export const clientFrames = {
  ping: z.object({ type: z.literal('ping') }),
  auth: z.object({ type: z.literal('auth'), token: z.string().min(1).max(8192) }),
  typing: z.object({
    type: z.literal('typing'),
    chat_id: uuid.optional(),
    payload: z.object({ is_typing: z.boolean().default(true) }).default({ is_typing: true }),
  }),
  /** `kind` is read as a string here: an unknown one has its own error code (liveErrorCodes.unknownKind). */
  rtc_signal: z.object({
    type: z.literal('rtc_signal'),
    chat_id: uuid.optional(),
    payload: z.object({ kind: z.string(), data: z.unknown().optional() }),
  }),
  /**
   * Sending over the socket: each answered once, to this socket, by an `ack` or an error frame with
   * the same `ref`. The payload is checked by the messages service, as the REST route's body is.
   */
  send_message: z.object({ type: z.literal('send_message'), ref: socketRef, chat_id: uuid.optional(), payload: z.unknown() }),
  mark_read: z.object({ type: z.literal('mark_read'), ref: socketRef, chat_id: uuid.optional(), payload: z.unknown() }),
} as const;
export type ClientFrameType = keyof typeof clientFrames;
export type ClientFrameOf<T extends ClientFrameType> = z.infer<(typeof clientFrames)[T]>;

/** Any client frame; first-frame auth reads the first frame with it. */
export const clientFrame = z.discriminatedUnion('type', [
  clientFrames.ping,
  clientFrames.auth,
  clientFrames.typing,
  clientFrames.rtc_signal,
  clientFrames.send_message,
  clientFrames.mark_read,
]);
export type ClientFrame = z.infer<typeof clientFrame>;

export const serverFrames = {
  pong: () => ({ type: 'pong' as const }),
  error: (code: string, message: string) => ({ type: 'error' as const, payload: { code, message } }),
  /** The answer to a frame with a `ref`: what the REST route would have answered with 2xx. */
  ack: <P>(ref: string, payload: P) => ({ type: 'ack' as const, ref, payload }),
  /** A frame with a `ref` refused, with the status the REST route would have answered. */
  refused: (ref: string, code: string, message: string, status: number) => ({ type: 'error' as const, ref, payload: { code, message, status } }),
  recovery: (chatId: string, recovered: boolean, seq: number) => ({
    type: 'recovery' as const,
    chat_id: chatId,
    payload: { recovered, seq },
  }),
};

/**
 * Close codes, in centrifuge's ranges: 4000-4499 tell the client to reconnect, 4500-4999 not to.
 */
export const closeCodes = {
  goingAway: 1001,
  tooLarge: 1009,
  /** The socket's send buffer passed its limit: reconnect with `since`. */
  slowConsumer: 4001,
  /** The token expired and no fresh one came in an auth frame: get a new token, then reconnect. */
  tokenExpired: 4401,
  /** First-frame auth: no auth frame came within AUTH_FRAME_TIMEOUT_MS. Reconnect (and send it sooner). */
  authTimeout: 4408,
  /** First-frame auth: the first frame was not an auth frame, or its token is invalid. Do not reconnect with the same token. */
  authFailed: 4501,
  /** First-frame auth: not a participant of the chat_id (or no such chat). Do not reconnect to this chat. */
  notMember: 4503,
  /** First-frame auth: a service needed to admit the socket is unavailable. Reconnect after a backoff. */
  tryAgainLater: 1013,
} as const;
