import type { Logger } from 'pino';
import { AppError, errorBody, forbidden, unauthorized } from '@chatroulette/errors';
import { addressBucket, type Networks } from '@chatroulette/http/ip';
import type { GatewayMetrics } from '../ops/metrics.js';
import { clientAddress, peerAddress } from '../transport/client-address.js';
import type { HttpRequest, HttpResponse, us_socket_context_t } from '../transport/load-uws.js';
import { replyJson, type ResponseState } from '../transport/http-reply.js';
import type { KeyedSlots } from '../transport/keyed-slots.js';
import { leaveUws } from '../transport/outside-uws.js';
import { admit, releaseAdmission, type AdmitDeps } from './admit.js';
import { originAllowed, type OriginAllowlist } from '../transport/origin-check.js';
import { admittedSocketData, newSocketId, pendingSocketData, type SocketData } from './socket-data.js';
import { parseSocketQuery } from './socket-query.js';

export interface UpgradeDeps extends AdmitDeps {
  log: Logger;
  stopping: () => boolean;
  /** Browser origins allowed to open a socket; null allows all. */
  allowedOrigins: OriginAllowlist;
  metrics: GatewayMetrics;
  /** Proxies whose X-Forwarded-For is believed, for the client's address. */
  trustedProxies: Networks;
  /** First-frame sockets waiting for their auth frame, per client address bucket. */
  pendingAuth: KeyedSlots;
}

/** What the upgrade copies out of the request's headers for the 101 answer. */
interface Handshake {
  key: string;
  protocol: string;
  extensions: string;
}

/** Answers 101 and opens the socket with its data (then uWS runs the open handler). */
function completeUpgrade(res: HttpResponse, data: SocketData, handshake: Handshake, context: us_socket_context_t): void {
  // Never inside res.cork(): after upgrade() this build's HttpResponse::cork() still reads
  // HttpResponseData::state through the old pointer, from memory that upgrade() gave back (the
  // socket shrinks in place), and closes the fresh socket when that memory reads "Connection: close,
  // responded" (uWebSockets.js issue 1108, fixed upstream by uWebSockets PR 1929; see the README).
  // Inside the upgrade handler uWS counts as corked already; after the asynchronous admission the
  // price is uWS's "writes must be made from within a corked callback" line on stderr.
  res.upgrade(data, handshake.key, handshake.protocol, handshake.extensions, context);
}

/**
 * The upgrade of /api/v1/ws: Origin (403), token (401), chat_id, since and a bearer-only protocol
 * offer (400), the user's socket cap (429), membership (403, 503 when messages is down), all before
 * the 101, so a refused client gets a JSON error and no socket. A client that asked for first-frame
 * auth (subprotocol `auth.first-frame` or `?auth=frame`) and sent no token is let in unauthenticated,
 * unless its address has as many such sockets waiting already (429): the socket then waits for its
 * auth frame (first-frame-auth.ts).
 */
export function createUpgradeHandler(deps: UpgradeDeps) {
  return (res: HttpResponse, req: HttpRequest, context: us_socket_context_t): void => {
    // req is gone after this synchronous part: copy what the upgrade needs.
    const query = req.getQuery() ?? '';
    const key = req.getHeader('sec-websocket-key');
    const protocolHeader = req.getHeader('sec-websocket-protocol');
    const extensions = req.getHeader('sec-websocket-extensions');
    const origin = req.getHeader('origin');
    const forwardedFor = req.getHeader('x-forwarded-for');
    const state: ResponseState = { aborted: false, done: false };
    res.onAborted(() => {
      state.aborted = true;
    });
    const socketId = newSocketId();

    const refuse = (err: AppError) => {
      deps.metrics.upgrade('refused', err.status);
      const retryAfter = err.retryAfter ?? (err.status === 429 ? 1 : undefined);
      replyJson(res, state, err.status, errorBody(err), retryAfter ? { headers: { 'Retry-After': String(retryAfter) } } : {});
    };
    if (deps.stopping()) return refuse(new AppError('unavailable', 'The gateway is shutting down'));
    if (!originAllowed(deps.allowedOrigins, origin)) {
      deps.log.debug({ socketId, origin: origin.slice(0, 200) }, 'socket upgrade refused: origin not allowed');
      return refuse(forbidden('Origin not allowed'));
    }
    const parsed = parseSocketQuery(query, protocolHeader);
    const token = parsed.ok ? parsed.value.token : parsed.token;
    const firstFrame = parsed.ok ? parsed.value.firstFrame : parsed.firstFrame;
    if (!token && !firstFrame) {
      deps.log.debug({ socketId }, 'socket upgrade refused: no token');
      return refuse(unauthorized('A token is required'));
    }
    if (!parsed.ok) {
      deps.log.debug({ socketId, error: parsed.error }, 'socket upgrade refused: bad query');
      return refuse(new AppError('bad_request', parsed.error));
    }
    const { chatId, since, protocol } = parsed.value;
    const handshake: Handshake = { key, protocol, extensions };

    const bucket = addressBucket(clientAddress(peerAddress(res), forwardedFor || undefined, deps.trustedProxies));
    if (!token) {
      // First-frame auth: open now; nothing is subscribed or sent until the auth frame admits it.
      if (!deps.pendingAuth.tryTake(bucket)) {
        deps.log.debug({ socketId, bucket }, 'socket upgrade refused: too many sockets of this address wait for their auth frame');
        return refuse(new AppError('too_many_requests', 'Too many sockets of this address are waiting for their auth frame'));
      }
      state.done = true;
      deps.metrics.upgrade('accepted', 101);
      const data = pendingSocketData(chatId, since, socketId);
      // Given back when the auth frame admits the socket, or when it closes.
      data.pendingSlot = bucket;
      return completeUpgrade(res, data, handshake, context);
    }

    void (async () => {
      try {
        // Verifying may ask NATS for keys.
        await leaveUws();
        const { user, lastSeq } = await admit(deps, token, { chatId, since, addressBucket: bucket });
        if (state.aborted || deps.stopping()) {
          releaseAdmission(deps, user.userId, chatId);
          return refuse(new AppError('unavailable', 'The gateway is shutting down'));
        }
        const data = admittedSocketData(user, chatId, since, socketId, lastSeq);
        state.done = true;
        deps.metrics.upgrade('accepted', 101);
        // The chat reference and the user's slot now belong to the socket: its close handler gives them back.
        completeUpgrade(res, data, handshake, context);
      } catch (e) {
        const err = e as AppError;
        if (err.status >= 500) deps.log.warn({ err: e, socketId, chatId }, 'socket upgrade failed');
        else deps.log.debug({ socketId, status: err.status, error: err.message, chatId }, 'socket upgrade refused');
        refuse(err);
      }
    })();
  };
}
