import type { Logger } from 'pino';
import { closeCodes, limits, serverFrames } from '@chatroulette/contracts';
import { AppError, isAppError } from '@chatroulette/errors';
import type { TokenVerifier } from '@chatroulette/tokens';
import type { Broker } from '../broker/broker.js';
import { chatTopic, userTopic } from '../broker/topics.js';
import type { Presence } from '../presence/presence.js';
import type { WebSocketBehavior } from 'uWebSockets.js';
import type { BackpressureGuard } from './backpressure.js';
import { parseClientFrame } from './protocol.js';
import { recover, type RecoveryDeps } from './recovery.js';
import { closeSocket, sendFrame, wakeDrainWaiters, type Socket, type SocketData } from './socket-data.js';
import type { ExpirySweep } from './expiry-sweep.js';
import { createUpgradeHandler, type UpgradeDeps } from './upgrade.js';
import { admit, releaseAdmitted } from './admit.js';

export interface SocketDeps extends UpgradeDeps, RecoveryDeps {
  verify: TokenVerifier;
  broker: Broker;
  presence: Presence;
  log: Logger;
  idleTimeoutSec: number;
  /** Open sockets by topic, for the slow-consumer checks and shutdown. */
  guard: BackpressureGuard;
  /** First-frame auth: how long an unauthenticated socket may wait for its auth frame. */
  authFrameTimeoutMs: number;
  /** Token expiry of every admitted socket (closes with 4401 at exp). */
  expiry: ExpirySweep<Socket>;
}

function topicsOf(data: SocketData): string[] {
  return data.chatId ? [userTopic(data.userId), chatTopic(data.chatId)] : [userTopic(data.userId)];
}

const HARD_CAP_HEADROOM = 4 * 1024 * 1024;

/**
 * The /api/v1/ws behaviour. Backpressure: the guard closes a socket past `maxBackpressure` with
 * closeCodes.slowConsumer (4001) so the client reconnects with `since`. The guard checks once per
 * event-loop turn, and a turn can publish a burst, so uWS's own cap sits well above (limit + 4 MiB):
 * past it uWS drops the socket itself (closeOnBackpressureLimit, rather than skip a frame) without a
 * close frame, so the client sees 1006 and also reconnects. (A close frame queued past uWS's cap
 * would be dropped too, which is why the cap is not closer to the limit.)
 */
export function socketBehavior(deps: SocketDeps): WebSocketBehavior<SocketData> {
  const { broker, presence, log } = deps;

  async function reauth(ws: Socket, token: string) {
    const data = ws.getUserData();
    try {
      const user = await deps.verify(token);
      if (data.closed) return;
      if (user.userId !== data.userId) {
        return sendFrame(ws, serverFrames.error('auth_user_mismatch', 'The token is for another user'));
      }
      data.exp = Math.max(data.exp, user.exp);
      deps.expiry.add(ws, data.exp);
      sendFrame(ws, { type: 'auth_ok', payload: { exp: data.exp } });
    } catch (e) {
      const message = isAppError(e) ? e.message : 'Token check failed';
      const code = isAppError(e) && e.status === 401 ? 'invalid_token' : 'auth_unavailable';
      sendFrame(ws, serverFrames.error(code, message));
    }
  }

  /** A socket admitted (at the upgrade, or by its auth frame): its topics, presence, expiry, and chat or recovery. */
  function activate(ws: Socket) {
    const data = ws.getUserData();
    deps.guard.add(ws, topicsOf(data));
    presence.opened(data.userId);
    ws.subscribe(userTopic(data.userId));
    deps.expiry.add(ws, data.exp);
    if (data.chatId) {
      broker.watch(data.chatId, data.userId, 1);
      if (data.since === null) ws.subscribe(chatTopic(data.chatId));
      else {
        // After the callback: recovery may ask NATS at once (see presence.ts on NATS in callbacks).
        const { chatId, since } = data;
        queueMicrotask(() => void recover(ws, chatId, since, deps));
      }
    }
  }

  /**
   * First-frame auth: the first frame must be `{"type":"auth","token"}`. Anything else, or a bad
   * token, gets an error frame and a close with closeCodes.authFailed (4501); frames after the auth
   * frame and before its answer are ignored.
   */
  function onPendingFrame(ws: Socket, message: ArrayBuffer, isBinary: boolean) {
    const data = ws.getUserData();
    if (data.authing) return;
    const incoming = parseClientFrame(message, isBinary);
    if (!incoming.ok || incoming.frame.type !== 'auth') {
      ws.send(JSON.stringify(serverFrames.error('auth_required', 'The first frame must be {"type":"auth","token":...}')), false);
      return void ws.end(closeCodes.authFailed, 'auth frame expected');
    }
    data.authing = true;
    const token = incoming.frame.token;
    // Out of the uWS callback: verifying and the membership check use NATS.
    queueMicrotask(() => void firstFrameAuth(ws, token));
  }

  async function firstFrameAuth(ws: Socket, token: string) {
    const data = ws.getUserData();
    let user;
    try {
      user = await admit(deps, token, data.chatId);
    } catch (e) {
      if (data.closed) return;
      const err = isAppError(e) ? e : new AppError('internal', 'Internal error');
      const [code, close] =
        err.status === 401
          ? (['invalid_token', closeCodes.authFailed] as const)
          : err.status === 403
            ? (['forbidden', closeCodes.notMember] as const)
            : (['unavailable', closeCodes.tryAgainLater] as const);
      if (err.status >= 500) log.warn({ err: e, chatId: data.chatId }, 'first-frame auth failed');
      sendFrame(ws, serverFrames.error(code, err.message));
      closeSocket(ws, close, code);
      return;
    }
    if (data.closed || deps.stopping()) {
      releaseAdmitted(broker, user.userId, data.chatId);
      return;
    }
    if (data.authTimer) clearTimeout(data.authTimer);
    data.authTimer = null;
    data.pending = false;
    data.authing = false;
    data.userId = user.userId;
    data.exp = user.exp;
    ws.cork(() => {
      ws.send(JSON.stringify({ type: 'auth_ok', payload: { exp: data.exp } }), false);
      activate(ws);
    });
    log.debug({ userId: data.userId, chatId: data.chatId, since: data.since }, 'socket admitted by its auth frame');
  }

  return {
    // uWS drops a frame over maxPayloadLength with a bare TCP close (the client sees 1006, checked in
    // a test), so uWS gets headroom and the frame limit is enforced below with a real 1009 close.
    maxPayloadLength: limits.maxSocketFrameBytes * 4,
    idleTimeout: deps.idleTimeoutSec,
    sendPingsAutomatically: true,
    maxBackpressure: deps.maxBackpressure + HARD_CAP_HEADROOM,
    closeOnBackpressureLimit: true as unknown as number,
    upgrade: createUpgradeHandler(deps),

    open(ws) {
      const data = ws.getUserData();
      if (data.pending) {
        // First-frame auth: known to the guard (shutdown, slow consumer) but nothing else until admitted.
        deps.guard.add(ws, []);
        data.authTimer = setTimeout(() => {
          data.authTimer = null;
          if (data.pending && !data.closed) closeSocket(ws, closeCodes.authTimeout, 'no auth frame in time');
        }, deps.authFrameTimeoutMs);
        log.debug({ chatId: data.chatId }, 'socket open, waiting for the auth frame');
        return;
      }
      activate(ws);
      log.debug({ userId: data.userId, chatId: data.chatId, since: data.since }, 'socket open');
    },

    message(ws, message, isBinary) {
      if (message.byteLength > limits.maxSocketFrameBytes) return void ws.end(closeCodes.tooLarge, 'frame too large');
      const pending = ws.getUserData().pending;
      if (pending) return onPendingFrame(ws, message, isBinary);
      const incoming = parseClientFrame(message, isBinary);
      if (!incoming.ok) return void ws.send(JSON.stringify(serverFrames.error(incoming.code, incoming.message)), false);
      if (incoming.frame.type === 'ping') return void ws.send(JSON.stringify(serverFrames.pong()), false);
      // Out of the uWS callback: verifying may ask NATS for keys (see presence.ts on NATS in callbacks).
      const token = incoming.frame.token;
      queueMicrotask(() => void reauth(ws, token));
    },

    drain(ws) {
      wakeDrainWaiters(ws.getUserData());
    },

    close(ws, code) {
      const data = ws.getUserData();
      data.closed = true;
      if (data.authTimer) clearTimeout(data.authTimer);
      if (data.pending) {
        // Never admitted: it holds nothing (an admission still running gives back what it took).
        deps.guard.remove(ws, []);
        log.debug({ chatId: data.chatId, code }, 'unauthenticated socket closed');
        return;
      }
      deps.guard.remove(ws, topicsOf(data));
      deps.expiry.remove(ws);
      wakeDrainWaiters(data);
      presence.closed(data.userId);
      broker.releaseUser(data.userId);
      if (data.chatId) {
        broker.watch(data.chatId, data.userId, -1);
        broker.releaseChat(data.chatId);
      }
      log.debug({ userId: data.userId, chatId: data.chatId, code }, 'socket closed');
    },
  };
}
