import type { Logger } from 'pino';
import { closeCodes, serverFrames } from '@chatroulette/contracts';
import { AppError, isAppError } from '@chatroulette/errors';
import { outsideUws } from '../transport/outside-uws.js';
import type { KeyedSlots } from '../transport/keyed-slots.js';
import { admit, releaseAdmission, type AdmitDeps } from './admit.js';
import { parseClientFrame } from './protocol.js';
import { closeSocket, holdToken, isClosed, sendFrame, type Socket, type SocketData } from './socket-data.js';

export interface FirstFrameAuthDeps extends AdmitDeps {
  log: Logger;
  stopping: () => boolean;
  /** How long an unauthenticated socket may wait for its auth frame. */
  authFrameTimeoutMs: number;
  /** Called inside a cork once the auth frame admitted the socket. */
  activate: (ws: Socket) => void;
  /** Pending sockets per address bucket: the socket's slot (taken at the upgrade) is given back once admitted. */
  pendingAuth: KeyedSlots;
}

/**
 * First-frame auth: the first frame must be `{"type":"auth","token"}`. Anything else, or a bad
 * token, gets an error frame and a close with closeCodes.authFailed (4501); a user at their socket cap
 * gets `too_many_sockets` and tryAgainLater (1013); frames after the auth frame and before its answer
 * are ignored; no admitting frame in time closes with authTimeout (4408).
 */
export function createFirstFrameAuth(deps: FirstFrameAuthDeps) {
  const { log } = deps;

  async function authenticate(ws: Socket, token: string) {
    const data = ws.getUserData();
    let admitted;
    try {
      admitted = await admit(deps, token, { chatId: data.chatId, since: data.since, addressBucket: data.pendingSlot ?? '' });
    } catch (e) {
      if (isClosed(ws)) return;
      const err = isAppError(e) ? e : new AppError('internal', 'Internal error');
      const [code, close] =
        err.status === 401
          ? (['invalid_token', closeCodes.authFailed] as const)
          : err.status === 403
            ? (['forbidden', closeCodes.notMember] as const)
            : err.status === 429
              ? (['too_many_sockets', closeCodes.tryAgainLater] as const)
              : (['unavailable', closeCodes.tryAgainLater] as const);
      if (err.status >= 500) log.warn({ err: e, socketId: data.id, chatId: data.chatId }, 'first-frame auth failed');
      else log.debug({ socketId: data.id, status: err.status, chatId: data.chatId }, 'first-frame auth refused');
      sendFrame(ws, serverFrames.error(code, err.message));
      closeSocket(ws, close, code);
      return;
    }
    const { user, lastSeq } = admitted;
    if (isClosed(ws) || deps.stopping()) return releaseAdmission(deps, user.userId, data.chatId);
    if (data.authTimer) clearTimeout(data.authTimer);
    data.authTimer = null;
    leavePending(data, deps.pendingAuth);
    data.state = 'open';
    data.userId = user.userId;
    holdToken(data, user);
    data.admittedLastSeq = lastSeq ?? 0;
    ws.cork(() => {
      ws.send(JSON.stringify(serverFrames.authOk(data.exp)), false);
      deps.activate(ws);
    });
    log.debug({ socketId: data.id, userId: data.userId, chatId: data.chatId, since: data.since }, 'socket admitted by its auth frame');
  }

  return {
    /** The socket opened without a token: it waits for its auth frame, closed if none comes in time. */
    opened(ws: Socket): void {
      const data = ws.getUserData();
      data.authTimer = setTimeout(() => {
        data.authTimer = null;
        if (data.state === 'pending' || data.state === 'authing') closeSocket(ws, closeCodes.authTimeout, 'no auth frame in time');
      }, deps.authFrameTimeoutMs);
      log.debug({ socketId: data.id, chatId: data.chatId }, 'socket open, waiting for the auth frame');
    },

    /** A frame on a socket not admitted yet. */
    frame(ws: Socket, message: ArrayBuffer, isBinary: boolean): void {
      const data = ws.getUserData();
      if (data.state === 'authing') return;
      const incoming = parseClientFrame(message, isBinary);
      if (!incoming.ok || incoming.frame.type !== 'auth') {
        log.debug({ socketId: data.id }, 'socket closed: first frame is not an auth frame');
        ws.send(JSON.stringify(serverFrames.error('auth_required', 'The first frame must be {"type":"auth","token":...}')), false);
        return void ws.end(closeCodes.authFailed, 'auth frame expected');
      }
      data.state = 'authing';
      const token = incoming.frame.token;
      // Verifying and the membership check use NATS.
      outsideUws(() => void authenticate(ws, token));
    },
  };
}

/** Gives back the socket's pending first-frame slot, once (admitted, or closed before). */
export function leavePending(data: SocketData, pendingAuth: KeyedSlots): void {
  if (data.pendingSlot === null) return;
  pendingAuth.give(data.pendingSlot);
  data.pendingSlot = null;
}
