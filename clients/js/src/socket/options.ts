import { defaultBackoff, type BackoffOptions } from './backoff.js';

export interface SocketOptions {
  /** The chat whose events this socket gets (without it: only the user's own events, e.g. chatroulette_match). */
  chatId?: string;
  /**
   * The last seq the app has (e.g. `last_seq` of the chat it loaded with its history): events after
   * it are replayed first. Default: the chat's `last_seq` now (GET /chats/{id}), so events from now on.
   */
  since?: number;
  reconnect?: Partial<BackoffOptions>;
  /** Renew the token this long before it expires (at most a third of what is left). Default 60 s. */
  renewBeforeMs?: number;
  /** A ping when nothing came for this long (0: never). Default 25 s. */
  pingIntervalMs?: number;
  /** Nothing at all for ping interval + this long: the connection is dead, make another. Default 10 s. */
  pongTimeoutMs?: number;
  /** No auth_ok this long after connecting (or after a renewal's auth frame): give that connection up. Default 10 s. */
  authTimeoutMs?: number;
  /**
   * `auto` (default): send_message and mark_read go over the socket with `ref` acks where the server
   * answers them, else over REST; `rest`: always REST.
   */
  sends?: 'auto' | 'rest';
  /** A frame sent with a ref and not answered within this is sent again over REST. Default 10 s. */
  ackTimeoutMs?: number;
  /** How long `send` and `markRead` keep trying through an outage (no answer, 502/503/504). Default 30 s. */
  retryForMs?: number;
}

export type SocketSettings = Required<Omit<SocketOptions, 'chatId' | 'since' | 'reconnect'>> & { backoff: BackoffOptions };

/** Every default of a socket, in one place. */
export function socketSettings(options: SocketOptions): SocketSettings {
  return {
    backoff: { ...defaultBackoff, ...options.reconnect },
    renewBeforeMs: options.renewBeforeMs ?? 60_000,
    pingIntervalMs: options.pingIntervalMs ?? 25_000,
    pongTimeoutMs: options.pongTimeoutMs ?? 10_000,
    authTimeoutMs: options.authTimeoutMs ?? 10_000,
    sends: options.sends ?? 'auto',
    ackTimeoutMs: options.ackTimeoutMs ?? 10_000,
    retryForMs: options.retryForMs ?? 30_000,
  };
}
