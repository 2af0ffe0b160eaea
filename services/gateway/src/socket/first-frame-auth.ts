import type { Logger } from 'pino';
import { closeCodes, serverFrames } from '@chatroulette/contracts';
import { AppError, isAppError } from '@chatroulette/errors';
import { outsideUws } from '../transport/outside-uws.js';
import { admit, type AdmitDeps } from './admit.js';
import { parseClientFrame } from './protocol.js';
import { closeSocket, isClosed, sendFrame, type Socket } from './socket-data.js';

export interface FirstFrameAuthDeps extends AdmitDeps {
  log: Logger;
  stopping: () => boolean;
  /** How long an unauthenticated socket may wait for its auth frame. */
  authFrameTimeoutMs: number;
  /** Called inside a cork once the auth frame admitted the socket. */
  activate: (ws: Socket) => void;
}

/**
 * First-frame auth: the first frame must be `{"type":"auth","token"}`. Anything else, or a bad
 * token, gets an error frame and a close with closeCodes.authFailed (4501); frames after the auth
 * frame and before its answer are ignored; no admitting frame in time closes with authTimeout (4408).
 */
export function createFirstFrameAuth(deps: FirstFrameAuthDeps) {
  const { log } = deps;

  async function authenticate(ws: Socket, token: string) {
    const data = ws.getUserData();
    let user;
    try {
      user = await admit(deps, token, data.chatId, data.since);
    } catch (e) {
      if (isClosed(ws)) return;
      const err = isAppError(e) ? e : new AppError('internal', 'Internal error');
      const [code, close] =
        err.status === 401
          ? (['invalid_token', closeCodes.authFailed] as const)
          : err.status === 403
            ? (['forbidden', closeCodes.notMember] as const)
            : (['unavailable', closeCodes.tryAgainLater] as const);
      if (err.status >= 500) log.warn({ err: e, socketId: data.id, chatId: data.chatId }, 'first-frame auth failed');
      else log.debug({ socketId: data.id, status: err.status, chatId: data.chatId }, 'first-frame auth refused');
      sendFrame(ws, serverFrames.error(code, err.message));
      closeSocket(ws, close, code);
      return;
    }
    if (isClosed(ws) || deps.stopping()) {
      if (data.chatId) deps.broker.releaseChat(data.chatId);
      return;
    }
    if (data.authTimer) clearTimeout(data.authTimer);
    data.authTimer = null;
    data.state = 'open';
    data.userId = user.userId;
    data.exp = user.exp;
    ws.cork(() => {
      ws.send(JSON.stringify({ type: 'auth_ok', payload: { exp: data.exp } }), false);
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
