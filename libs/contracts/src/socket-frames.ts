import type { ChatEventFrame, ChatEventType, UserEventFrame, UserEventType } from './events.js';
import type { MessageObject } from './message.js';
import type { ReadState } from './events.js';
import type { SendMessageInput } from './rest-api.js';
import type { liveFrames } from './live.js';
import type { RtcSignalKind, serverFrames } from './socket.js';

/**
 * Every frame of the socket as a client sees it (docs/contract.md "WebSocket", "Sending over the
 * socket", "Live extras on the socket"), beside the chat and user event frames of events.ts.
 */

/** The live extras: ephemeral, no seq, never replayed (built by live.ts liveFrames). */
export interface LiveFramePayloads {
  typing: ReturnType<typeof liveFrames.typing>['payload'];
  user_status: ReturnType<typeof liveFrames.userStatus>['payload'];
  rtc_signal: ReturnType<typeof liveFrames.rtcSignal>['payload'];
}
export type LiveFrameType = keyof LiveFramePayloads;
export interface LiveFrame<T extends LiveFrameType = LiveFrameType> {
  type: T;
  chat_id: string;
  payload: LiveFramePayloads[T];
}

export type RecoveryFrame = ReturnType<typeof serverFrames.recovery>;
export type PongFrame = ReturnType<typeof serverFrames.pong>;
/** The answer to an auth frame: the socket now lives until `exp` (seconds). */
export interface AuthOkFrame {
  type: 'auth_ok';
  payload: { exp: number };
}
/**
 * A refused frame (the socket stays open). With `ref`, the answer to that frame, carrying the status
 * the REST route would have answered.
 */
export interface ErrorFrame {
  type: 'error';
  ref?: string;
  chat_id?: string;
  payload: { code: string; message: string; status?: number; retry_after_ms?: number };
}

/** What a frame with a `ref` is answered with, by its type. */
export interface SocketAckPayloads {
  send_message: MessageObject;
  mark_read: ReadState;
}
export type RefFrameType = keyof SocketAckPayloads;
export interface AckFrame<T extends RefFrameType = RefFrameType> {
  type: 'ack';
  ref: string;
  payload: SocketAckPayloads[T];
}

export type ServerFrame =
  | { [T in ChatEventType]: ChatEventFrame<T> }[ChatEventType]
  | { [T in UserEventType]: UserEventFrame<T> }[UserEventType]
  | { [T in LiveFrameType]: LiveFrame<T> }[LiveFrameType]
  | RecoveryFrame
  | AuthOkFrame
  | ErrorFrame
  | AckFrame
  | PongFrame;

/** Client frames beyond ping and auth (clientFrame in socket.ts); `chat_id` defaults to the socket's chat. */
export interface OutgoingFrames {
  typing: { type: 'typing'; chat_id?: string; payload: { is_typing: boolean } };
  rtc_signal: { type: 'rtc_signal'; chat_id?: string; payload: { kind: RtcSignalKind; data: unknown } };
  send_message: { type: 'send_message'; ref: string; chat_id?: string; payload: SendMessageInput };
  mark_read: { type: 'mark_read'; ref: string; chat_id?: string; payload: { message_id: string } };
}
