import type { WebSocket } from '../transport/load-uws.js';

/** What a socket carries from its upgrade to its close. */
export interface SocketData {
  userId: string;
  username: string;
  /** Token expiry, seconds since the epoch; an auth frame with a fresh token moves it. */
  exp: number;
  chatId: string | null;
  since: number | null;
  /** Set in the close handler: after that the socket must not be touched. */
  closed: boolean;
  expiryTimer: NodeJS.Timeout | null;
  /** Waiting for the send buffer to drain (replays). */
  drainWaiters: (() => void)[];
  /**
   * First-frame auth: opened without a token, waiting for `{"type":"auth"}`. Until then userId is ''
   * and the socket has no topics, presence or broker references.
   */
  pending: boolean;
  /** First-frame auth: the auth frame arrived and is being checked. */
  authing: boolean;
  /** First-frame auth: closes the socket when no auth frame admitted it in time. */
  authTimer: NodeJS.Timeout | null;
}

/** A socket's data at the upgrade. */
export function newSocketData(init: Pick<SocketData, 'userId' | 'username' | 'exp' | 'chatId' | 'since'>): SocketData {
  return { ...init, closed: false, expiryTimer: null, drainWaiters: [], pending: false, authing: false, authTimer: null };
}

export type Socket = WebSocket<SocketData>;

/** Sends a JSON frame unless the socket closed meanwhile; corked, so it is safe outside uWS callbacks. */
export function sendFrame(ws: Socket, frame: unknown): void {
  if (ws.getUserData().closed) return;
  ws.cork(() => {
    ws.send(JSON.stringify(frame), false);
  });
}

/** Resolves when uWS reports the socket drained (or it closed), or after `timeoutMs`. */
export function waitForDrain(ws: Socket, timeoutMs = 5000): Promise<void> {
  const data = ws.getUserData();
  if (data.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    data.drainWaiters.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Closes with a code, corked: outside uWS's own callbacks an uncorked end() sends the FIN at once,
 * and the client was seen getting 1006 instead of the code; corked, uWS sends the close frame first.
 */
export function closeSocket(ws: Socket, code: number, reason: string): void {
  if (ws.getUserData().closed) return;
  ws.cork(() => ws.end(code, reason));
}
