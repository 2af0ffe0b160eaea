import type { z } from 'zod';
import type { serverFrameCatalogue } from './api/socket.js';

/** What a WebRTC signal may be: the session description exchange, ICE candidates, and the end of a call. */
export const rtcSignalKinds = ['offer', 'answer', 'candidate', 'hangup'] as const;
export type RtcSignalKind = (typeof rtcSignalKinds)[number];

type ServerFrame = z.infer<(typeof serverFrameCatalogue)[number]['schema']>;

/** The gateway's own frames (the events are bytes from NATS). */
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
  authOk: (exp: number) => ({ type: 'auth_ok' as const, payload: { exp } }),
} satisfies Record<string, (...args: never[]) => ServerFrame>;

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
