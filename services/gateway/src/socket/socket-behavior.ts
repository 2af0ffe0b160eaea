import type { Logger } from 'pino';
import { closeCodes, limits, liveErrorCodes, liveFrames, serverFrames } from '@chatroulette/contracts';
import type { WebSocketBehavior } from 'uWebSockets.js';
import type { Hub } from '../hub/hub.js';
import { chatTopic, userTopic } from '../hub/topics.js';
import { KeyedSlots } from '../transport/keyed-slots.js';
import { outsideUws } from '../transport/outside-uws.js';
import { releaseAdmission } from './admit.js';
import type { Live } from '../live/live.js';
import type { SocketSends } from '../sends/socket-sends.js';
import { createFirstFrameAuth, leavePending } from './first-frame-auth.js';
import { dispatchFrame, type FrameTable } from './frame-table.js';
import { oversizedLiveFrame, parseClientFrame } from './protocol.js';
import { reauth } from './reauth.js';
import { recover, type RecoveryDeps } from './recovery.js';
import { userOf, wakeDrainWaiters, type Socket, type SocketData } from './socket-data.js';
import { createUpgradeHandler, type UpgradeDeps } from './upgrade.js';

export interface SocketDeps extends Omit<UpgradeDeps, 'userSockets' | 'pendingAuth'>, RecoveryDeps {
  /** The registry of this gateway's sockets (presence, receipts, slow consumers, expiry, shutdown). */
  hub: Hub;
  idleTimeoutSec: number;
  /** First-frame auth: how long an unauthenticated socket may wait for its auth frame. */
  authFrameTimeoutMs: number;
  /** Open sockets per user on this gateway (0: no cap). */
  maxSocketsPerUser: number;
  /** First-frame sockets waiting for their auth frame per client address (0: no cap). */
  maxPendingAuthPerAddress: number;
  /** Typing and signalling frames (the live chats themselves are held through the admission's deps). */
  live: Pick<Live, 'frames'>;
  /** Sending over the socket: send_message and mark_read. */
  sends: SocketSends;
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
export function socketBehavior(socketDeps: SocketDeps): WebSocketBehavior<SocketData> {
  // Counts, not rates: a socket holds its slot from its admission (or its pending upgrade) to its close.
  const deps = { ...socketDeps, userSockets: new KeyedSlots(socketDeps.maxSocketsPerUser), pendingAuth: new KeyedSlots(socketDeps.maxPendingAuthPerAddress) };
  const { hub, log } = deps;

  /** A socket admitted (at the upgrade, or by its auth frame): the hub counts it, then its topics or recovery. */
  function activate(ws: Socket) {
    const data = ws.getUserData();
    hub.admitted(ws);
    ws.subscribe(userTopic(userOf(data)));
    if (!data.chatId) return;
    if (data.since === null) return void ws.subscribe(chatTopic(data.chatId));
    // Recovery may ask NATS at once.
    const { chatId, since } = data;
    outsideUws(() => void recover(ws, chatId, since, data.admittedLastSeq, deps));
  }

  const firstFrameAuth = createFirstFrameAuth({ ...deps, activate });

  /** What an admitted socket's frames do, by type. */
  const frames: FrameTable = {
    ping: (ws) => void ws.send(JSON.stringify(serverFrames.pong()), false),
    // Verifying may ask NATS for keys.
    auth: (ws, frame) => outsideUws(() => void reauth(ws, frame.token, deps)),
    ...deps.live.frames,
    ...deps.sends,
  };

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
      // Known to the hub (shutdown, slow consumer) from now, counted for the rest once admitted.
      hub.opened(ws);
      if (data.state === 'pending') return firstFrameAuth.opened(ws);
      activate(ws);
      log.debug({ socketId: data.id, userId: data.userId, chatId: data.chatId, since: data.since }, 'socket open');
    },

    message(ws, message, isBinary) {
      if (message.byteLength > limits.maxSocketFrameBytes) {
        const data = ws.getUserData();
        log.debug({ socketId: data.id, bytes: message.byteLength }, 'socket frame too large');
        // A live frame that large is refused like any other live frame; anything else closes the socket.
        const live = data.state === 'open' ? oversizedLiveFrame(message, isBinary) : undefined;
        if (!live) return void ws.end(closeCodes.tooLarge, 'frame too large');
        const error = liveFrames.error(liveErrorCodes.frameTooLarge, `A frame may have at most ${limits.maxSocketFrameBytes} bytes`, live.chatId ?? data.chatId);
        return void ws.send(JSON.stringify(error), false);
      }
      if (ws.getUserData().state !== 'open') return firstFrameAuth.frame(ws, message, isBinary);
      const incoming = parseClientFrame(message, isBinary);
      if (!incoming.ok) {
        log.debug({ socketId: ws.getUserData().id, code: incoming.code }, 'socket frame refused');
        return void ws.send(JSON.stringify(serverFrames.error(incoming.code, incoming.message)), false);
      }
      dispatchFrame(frames, ws, incoming.frame);
    },

    drain(ws) {
      wakeDrainWaiters(ws.getUserData());
    },

    close(ws, code) {
      const data = ws.getUserData();
      const admitted = data.state === 'open';
      data.state = 'closed';
      if (data.authTimer) clearTimeout(data.authTimer);
      hub.closed(ws, admitted);
      if (!admitted) {
        // Never admitted: it holds its pending slot only (an admission still running gives back what it took).
        leavePending(data, deps.pendingAuth);
        log.debug({ socketId: data.id, chatId: data.chatId, code }, 'unauthenticated socket closed');
        return;
      }
      wakeDrainWaiters(data);
      releaseAdmission(deps, userOf(data), data.chatId);
      log.debug({ socketId: data.id, userId: data.userId, chatId: data.chatId, code }, 'socket closed');
    },
  };
}
