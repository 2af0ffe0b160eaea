import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { messagesChatsMember, type Subjects } from '@chatroulette/contracts';
import { AppError, errorBody, forbidden, isAppError, unauthorized } from '@chatroulette/errors';
import { request } from '@chatroulette/nats';
import type { TokenVerifier } from '@chatroulette/tokens';
import type { Broker } from '../broker/broker.js';
import type { HttpRequest, HttpResponse, us_socket_context_t } from '../transport/load-uws.js';
import { replyJson, type ResponseState } from '../transport/http-reply.js';
import type { SocketData } from './socket-data.js';
import { parseSocketQuery } from './socket-query.js';

export interface UpgradeDeps {
  verify: TokenVerifier;
  broker: Broker;
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  stopping: () => boolean;
}

/**
 * The upgrade of /api/v1/ws: token (401), chat_id and since (400), membership (403, 503 when messages
 * is down), all before the 101, so a refused client gets a JSON error and no socket.
 */
export function createUpgradeHandler(deps: UpgradeDeps) {
  return (res: HttpResponse, req: HttpRequest, context: us_socket_context_t): void => {
    // req is gone after this synchronous part: copy what the upgrade needs.
    const query = req.getQuery() ?? '';
    const key = req.getHeader('sec-websocket-key');
    const protocolHeader = req.getHeader('sec-websocket-protocol');
    const extensions = req.getHeader('sec-websocket-extensions');
    const state: ResponseState = { aborted: false, done: false };
    res.onAborted(() => {
      state.aborted = true;
    });

    const refuse = (err: AppError) => replyJson(res, state, err.status, errorBody(err));
    if (deps.stopping()) return refuse(new AppError('unavailable', 'The gateway is shutting down'));
    const parsed = parseSocketQuery(query, protocolHeader);
    const token = parsed.ok ? parsed.value.token : parsed.token;
    if (!token) return refuse(unauthorized('A token is required'));
    if (!parsed.ok) return refuse(new AppError('bad_request', parsed.error));
    const { chatId, since, protocol } = parsed.value;

    void (async () => {
      let heldUser: string | null = null;
      let heldChat: string | null = null;
      const release = () => {
        if (heldChat) deps.broker.releaseChat(heldChat);
        if (heldUser) deps.broker.releaseUser(heldUser);
        heldChat = heldUser = null;
      };
      try {
        // Leave the uWS callback first: verifying may ask NATS for keys (see presence.ts).
        await null;
        const user = await deps.verify(token);
        // The user's events subscription is in place before the 101, so nothing sent after the open is lost.
        heldUser = user.userId;
        const userReady = deps.broker.acquireUser(user.userId);
        if (chatId) {
          // Subscribe first, then ask: every event after the answer's last_seq is then caught.
          deps.broker.acquireChat(chatId);
          heldChat = chatId;
          const member = await request(deps.nc, deps.subjects.messagesChatsMember, messagesChatsMember, {
            chat_id: chatId,
            user_id: user.userId,
          });
          if (!member.is_member) throw forbidden('Not a participant of this chat');
          deps.broker.startChat(chatId, member.last_seq);
        }
        await userReady;
        if (state.aborted || deps.stopping()) {
          release();
          return refuse(new AppError('unavailable', 'The gateway is shutting down'));
        }
        const data: SocketData = {
          userId: user.userId,
          username: user.username,
          exp: user.exp,
          chatId,
          since: chatId ? since : null,
          closed: false,
          expiryTimer: null,
          drainWaiters: [],
        };
        state.done = true;
        // The user and chat references now belong to the socket: its close handler releases them.
        res.cork(() => res.upgrade(data, key, protocol, extensions, context));
      } catch (e) {
        release();
        let err = isAppError(e) ? e : new AppError('internal', 'Internal error');
        if (err.status === 404) err = forbidden('Not a participant of this chat');
        if (err.status >= 500) deps.log.warn({ err: e, chatId }, 'socket upgrade failed');
        else deps.log.debug({ status: err.status, error: err.message, chatId }, 'socket upgrade refused');
        refuse(err);
      }
    })();
  };
}
