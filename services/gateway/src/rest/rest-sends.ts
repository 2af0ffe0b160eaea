import type { NatsConnection } from 'nats';
import type { z } from 'zod';
import type { Logger } from 'pino';
import { apiPaths, messagesSend, uuid, type Subjects } from '@chatroulette/contracts';
import { AppError, errorBody, isAppError, unauthorized } from '@chatroulette/errors';
import { connectionState, encodeText, requestEncoded } from '@chatroulette/nats';
import { bearerToken, type TokenVerifier } from '@chatroulette/tokens';
import type { HttpResponse } from '../transport/load-uws.js';
import { replyJson, type ResponseState } from '../transport/http-reply.js';
import { leaveUws } from '../transport/outside-uws.js';

export interface RestSendsOptions {
  nc: NatsConnection;
  subjects: Subjects;
  verify: TokenVerifier;
  log: Logger;
  /** How long messages may take to answer before the send is refused with 503. */
  timeoutMs: number;
}

/** A send this gateway answers itself: the chat, and the body as the client wrote it (JSON text). */
export interface RestSend {
  chatId: string;
  body: string;
}

const sendPath = new RegExp(`^${apiPaths.chats}/([^/]+)/messages$`);
/** The bodies express.json reads as JSON in the messages service; anything else goes there as it came. */
const jsonType = /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i;

/**
 * POST /api/v1/chats/{id}/messages, the hottest route, asked of the messages service over NATS as a
 * socket's send_message is (the same request, its queue group), instead of an HTTP hop through its
 * express app: the gateway checks the bearer token with the verifier the sockets use, and answers
 * the 201 with the message object or the refusal with the status, error body and Retry-After the
 * route's own answer has. A request the route would read differently (another content type or
 * encoding, a body that is not JSON, an id that is not a UUID) is not taken: it goes upstream; so
 * are sends while the gateway is cut off from NATS.
 */
export function createRestSends(opts: RestSendsOptions) {
  const { nc, subjects, verify, log, timeoutMs } = opts;
  const link = connectionState(nc);

  /** The send this request is, when the gateway answers it itself; null sends it upstream. */
  function take(method: string, path: string, headers: Record<string, string>, raw: Buffer): RestSend | null {
    // Cut off from NATS, the gateway still sends through messages' HTTP: it stores, and its relay publishes later.
    if (method !== 'POST' || !link.connected()) return null;
    const chatId = sendPath.exec(path)?.[1];
    if (!chatId || !uuid.safeParse(chatId).success) return null;
    if (!jsonType.test(headers['content-type'] ?? '') || headers['content-encoding'] !== undefined) return null;
    const body = raw.toString('utf8');
    try {
      JSON.parse(body);
    } catch {
      return null;
    }
    return { chatId, body };
  }

  async function answer(res: HttpResponse, state: ResponseState, send: RestSend, authorization: string | undefined, requestId: string): Promise<void> {
    // NATS is asked below: no NATS call inside a uWS callback (see outside-uws.ts).
    await leaveUws();
    const headers = { 'x-request-id': requestId };
    try {
      const token = bearerToken(authorization);
      if (!token) throw unauthorized('Missing bearer token');
      const user = await verify(token);
      const message = await requestEncoded(nc, subjects.messagesSend, messagesSend, encodeText(sendRequest(user, send)), timeoutMs);
      replyJson(res, state, 201, message, { headers });
    } catch (e) {
      const err = isAppError(e) ? e : new AppError('internal', 'Internal server error');
      if (!isAppError(e)) log.error({ err: e, request_id: requestId, chat_id: send.chatId }, 'send over NATS failed');
      const retry: Record<string, string> = err.retryAfter === undefined ? {} : { 'Retry-After': String(err.retryAfter) };
      replyJson(res, state, err.status, { ...errorBody(err), request_id: requestId }, { headers: { ...headers, ...retry } });
    }
  }

  return { take, answer };
}

export type RestSends = ReturnType<typeof createRestSends>;

/**
 * The messages.send request with the client's body as it came: valid JSON (take() parsed it), put in
 * as text, not parsed and serialised again (a deeply nested body would overflow JSON.stringify, and
 * the route answers it 400 like any other body that is not a message).
 */
function sendRequest(user: { userId: string; username: string }, send: RestSend): string {
  const head: Omit<z.input<typeof messagesSend.request>, 'body'> = { user_id: user.userId, username: user.username, chat_id: send.chatId, via: 'rest' };
  return `${JSON.stringify(head).slice(0, -1)},"body":${send.body}}`;
}
