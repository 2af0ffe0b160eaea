import { closeCodes } from '@chatroulette/contracts';
import type { WebSocket } from '../transport/load-uws.js';
import type { VerifiedToken } from '@chatroulette/tokens';
import type { ExpirySlot } from '../hub/expiry-sweep.js';

/**
 * Where a socket is in its life:
 * - `pending`: opened for first-frame auth, waiting for `{"type":"auth"}`; no user, topics,
 *   presence or broker references yet;
 * - `authing`: its auth frame arrived and is being checked (later frames are ignored);
 * - `open`: admitted, with a user (at the upgrade, or by its auth frame);
 * - `closed`: the close handler ran; the socket must not be touched.
 */
type SocketState = 'pending' | 'authing' | 'open' | 'closed';

/**
 * What a socket carries from its upgrade to its close: one small object of fixed shape per socket
 * (no timers or closures of its own; token expiry is a shared sweep, hub/expiry-sweep.ts).
 */
export class SocketData implements ExpirySlot {
  /** The token-expiry bucket this socket is in (ExpirySweep), 0 for none. */
  expirySecond = 0;
  /** Waiting for the send buffer to drain (replays); null until someone waits. */
  drainWaiters: (() => void)[] | null = null;
  /** First-frame auth: closes the socket when no auth frame admitted it in time. */
  authTimer: NodeJS.Timeout | null = null;
  /** First-frame auth: the address bucket whose pending slot this socket holds until admitted or closed. */
  pendingSlot: string | null = null;
  /** The chat's last seq when the socket was admitted (membership answer): the end of a `since` replay's reach. */
  admittedLastSeq = 0;
  /** The admitting token's id and issued-at (and key), so a revocation finds the sockets it closes (socket/revocation.ts). */
  jti = '';
  iat = 0;
  kid = '';
  /** The admitting token's username (the `typing` frames the others get name it). */
  username = '';
  /** The last of this socket's queued frames still being handled (socket/frame-queue.ts), null when none is. */
  framesTail: Promise<void> | null = null;
  /** Queued frames taken and not yet handled. */
  framesPending = 0;

  constructor(
    public state: SocketState,
    /** Null until the socket is admitted (state `open`). */
    public userId: string | null,
    /** Token expiry, seconds since the epoch; an auth frame with a fresh token moves it. */
    public exp: number,
    public readonly chatId: string | null,
    public readonly since: number | null,
    /** This socket's id in the gateway's log lines (newSocketId), from its upgrade on. */
    public readonly id: number,
  ) {}
}

let lastSocketId = 0;

/** A socket's id for log lines, given at its upgrade: unique within this gateway process. */
export function newSocketId(): number {
  return ++lastSocketId;
}

/** A socket admitted at the upgrade, with its token's user and its chat's last seq then. */
export function admittedSocketData(user: TokenFacts, chatId: string | null, since: number | null, id = newSocketId(), lastSeq: number | null = null): SocketData {
  const data = new SocketData('open', user.userId, user.exp, chatId, chatId ? since : null, id);
  holdToken(data, user);
  data.admittedLastSeq = lastSeq ?? 0;
  return data;
}

type TokenFacts = Pick<VerifiedToken, 'userId' | 'exp'> & Partial<Pick<VerifiedToken, 'jti' | 'iat' | 'kid' | 'username'>>;

/** The socket now lives on this token: its expiry and what a revocation of it looks for. */
export function holdToken(data: SocketData, token: TokenFacts): void {
  data.exp = token.exp;
  data.jti = token.jti ?? '';
  data.iat = token.iat ?? 0;
  data.kid = token.kid ?? '';
  data.username = token.username ?? '';
}

/** A socket let in for first-frame auth: no user until its auth frame admits it. */
export function pendingSocketData(chatId: string | null, since: number | null, id = newSocketId()): SocketData {
  return new SocketData('pending', null, 0, chatId, chatId ? since : null, id);
}

export type Socket = WebSocket<SocketData>;

/** The user of an admitted socket (state `open`). */
export function userOf(data: SocketData): string {
  if (data.userId === null) throw new Error('socket has no user before it is admitted');
  return data.userId;
}

/** The chat a client frame is for: the one it names, else the socket's; null when neither names one. */
export function chatOf(ws: Socket, chatId: string | undefined): string | null {
  return chatId?.toLowerCase() ?? ws.getUserData().chatId;
}

/** Whether the close handler ran (a function, so a check after an `await` is not narrowed away). */
export function isClosed(ws: Socket): boolean {
  return ws.getUserData().state === 'closed';
}

/** Sends a JSON frame unless the socket closed meanwhile; corked, so it is safe outside uWS callbacks. */
export function sendFrame(ws: Socket, frame: unknown): void {
  if (isClosed(ws)) return;
  ws.cork(() => {
    ws.send(JSON.stringify(frame), false);
  });
}

/** Resolves when uWS reports the socket drained (or it closed), or after `timeoutMs`. */
export function waitForDrain(ws: Socket, timeoutMs = 5000): Promise<void> {
  const data = ws.getUserData();
  if (data.state === 'closed') return Promise.resolve();
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
  if (isClosed(ws)) return;
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
