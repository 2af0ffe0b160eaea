import { closeCodes } from '@chatroulette/contracts';
import type { WebSocket } from '../transport/load-uws.js';
import type { ExpirySlot } from './expiry-sweep.js';

/**
 * What a socket carries from its upgrade to its close: one small object of fixed shape per socket
 * (no timers or closures of its own; token expiry is a shared sweep, expiry-sweep.ts).
 */
export class SocketData implements ExpirySlot {
  /**
   * First-frame auth: opened without a token, waiting for `{"type":"auth"}`. Until then userId is ''
   * and the socket has no topics, presence or broker references.
   */
  pending = false;
  /** First-frame auth: the auth frame arrived and is being checked. */
  authing = false;
  /** Set in the close handler: after that the socket must not be touched. */
  closed = false;
  /** The token-expiry bucket this socket is in (ExpirySweep), 0 for none. */
  expirySecond = 0;
  /** Waiting for the send buffer to drain (replays); null until someone waits. */
  drainWaiters: (() => void)[] | null = null;
  /** First-frame auth: closes the socket when no auth frame admitted it in time. */
  authTimer: NodeJS.Timeout | null = null;

  constructor(
    public userId: string,
    /** Token expiry, seconds since the epoch; an auth frame with a fresh token moves it. */
    public exp: number,
    public readonly chatId: string | null,
    public readonly since: number | null,
  ) {}
}

/** A socket's data at the upgrade. */
export function newSocketData(init: { userId: string; exp: number; chatId: string | null; since: number | null }): SocketData {
  return new SocketData(init.userId, init.exp, init.chatId, init.since);
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
    (data.drainWaiters ??= []).push(() => {
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

/** Token expiry (from the ExpirySweep): 4401, unless the socket closed meanwhile. */
export function expireSocket(ws: Socket): void {
  closeSocket(ws, closeCodes.tokenExpired, 'token expired');
}

/** Wakes whoever waits for the socket to drain. */
export function wakeDrainWaiters(data: SocketData): void {
  const waiters = data.drainWaiters;
  if (!waiters) return;
  data.drainWaiters = null;
  for (const wake of waiters) wake();
}
