import type { RtcSignalKind } from './socket.js';

/**
 * The live extras of the socket (typing, WebRTC signalling) travel between gateways on core NATS,
 * `live.<chat_id>.<kind>`: ephemeral, never in a JetStream stream (no seq, not stored, not replayed).
 */
export const liveKinds = ['typing', 'rtc_signal'] as const;
export type LiveKind = (typeof liveKinds)[number];

/** NATS headers beside a live frame, so a receiving gateway forwards its bytes without parsing them. */
export const liveHeaders = {
  /** The sender's user id: their own sockets never get the frame. */
  from: 'Live-From',
  /** Typing: `true` or `false`, for the receivers' throttle of `is_typing: true`. */
  typing: 'Live-Typing',
} as const;

/** At most one `is_typing: true` per user per chat is forwarded within this. */
export const typingThrottleMs = 2000;

/** The `code` of the error frame a refused live frame gets (the socket stays open). */
export const liveErrorCodes = {
  /** No `chat_id` in the frame, on a socket opened without one. */
  chatRequired: 'chat_required',
  /** Not a participant of the chat, or no such chat (no hint that it exists, as at the upgrade). */
  notParticipant: 'not_participant',
  /** The chat has ended. */
  chatClosed: 'chat_closed',
  /** The sender and another participant block each other (either way round). */
  blocked: 'blocked',
  /** An `rtc_signal` whose `kind` is none of rtcSignalKinds. */
  unknownKind: 'unknown_kind',
  /** A live frame over limits.maxSocketFrameBytes (other frames that large close the socket with 1009). */
  frameTooLarge: 'frame_too_large',
  /** Past the sender's budget; the payload says when to try again (`retry_after_ms`). */
  tooManyRequests: 'too_many_requests',
  /** The participants could not be checked (messages unavailable). */
  unavailable: 'unavailable',
} as const;

export const liveFrames = {
  typing: (chatId: string, payload: { user_id: string; username: string; is_typing: boolean }) => ({ type: 'typing' as const, chat_id: chatId, payload }),
  userStatus: (chatId: string, payload: { user_id: string; username: string; is_online: boolean; last_seen: string | null }) => ({
    type: 'user_status' as const,
    chat_id: chatId,
    payload,
  }),
  rtcSignal: (chatId: string, payload: { from: string; kind: RtcSignalKind; data: unknown }) => ({ type: 'rtc_signal' as const, chat_id: chatId, payload }),
  /** The error frame of a refused live frame: which chat it was for, and for a budget when to retry. */
  error: (code: string, message: string, chatId: string | null, retryAfterMs?: number) => ({
    type: 'error' as const,
    ...(chatId ? { chat_id: chatId } : {}),
    payload: { code, message, ...(retryAfterMs !== undefined ? { retry_after_ms: retryAfterMs } : {}) },
  }),
};
