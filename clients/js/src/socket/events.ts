import type {
  ChatEventFrame,
  ChatEventPayloads,
  ChatEventType,
  ErrorFrame,
  LiveFrame,
  LiveFramePayloads,
  LiveFrameType,
  ServerFrame,
  UserEventFrame,
  UserEventPayloads,
  UserEventType,
} from '@chatroulette/contracts';
import type { StopCause } from './close-policy.js';

/**
 * `connecting`: the first connection is being made; `open`: admitted (auth_ok), events flow;
 * `reconnecting`: the connection was lost, another is being made (after a backoff); `closed`:
 * stopped for good (see `closed`).
 */
export type SocketState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface Closed {
  cause: StopCause;
  /** The last close code (0 when the socket stopped before any connection, e.g. on a REST refusal). */
  code: number;
  reason: string;
}

/** Each server frame of the contract, by type: its payload and the frame. */
export type FrameEvents = { [T in ChatEventType]: [payload: ChatEventPayloads[T], frame: ChatEventFrame<T>] } & {
  [T in UserEventType]: [payload: UserEventPayloads[T], frame: UserEventFrame<T>];
} & { [T in LiveFrameType]: [payload: LiveFramePayloads[T], frame: LiveFrame<T>] };

export type SocketEvents = FrameEvents & {
  /** Every frame delivered to the app (each chat event once, in seq order), before its typed event. */
  frame: [frame: ServerFrame];
  state: [state: SocketState];
  /** After a reconnect, every event missed since the last seq seen has been delivered. */
  recovered: [info: { chatId: string; seq: number }];
  /**
   * Events after the last seq seen are no longer kept: reload the chat's history over REST. The
   * socket continues after `seq` (what the history now holds).
   */
  reset: [info: { chatId: string; seq: number }];
  /** The token was renewed over the socket; it now lives until `exp` (seconds). */
  renewed: [info: { exp: number }];
  /** An error frame that answers no frame of this client's sends (a refused typing or rtc_signal, ...). */
  error: [payload: ErrorFrame['payload'], frame: ErrorFrame];
  /** The socket stopped for good. */
  closed: [info: Closed];
};
