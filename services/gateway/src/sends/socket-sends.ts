import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { messagesRead, messagesSend, serverFrames, type ClientFrameOf, type Subjects } from '@chatroulette/contracts';
import { isAppError } from '@chatroulette/errors';
import { request } from '@chatroulette/nats';
import { inOrder } from '../socket/frame-queue.js';
import { chatOf, sendFrame, userOf, type Socket } from '../socket/socket-data.js';

export interface SocketSendsOptions {
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  /** How long messages may take to answer before the frame is refused with 503. */
  timeoutMs: number;
}

/**
 * Sending over the socket (contract "Sending over the socket"): `send_message` and `mark_read` asked
 * of the messages service over NATS request/reply (its queue group: any instance answers), and
 * answered to this socket once, by `ack` or an error frame with the same `ref` and the status the
 * REST route would have answered. A socket's frames are handled in the order they came, so its
 * messages are stored in the order sent.
 */
export function createSocketSends(opts: SocketSendsOptions) {
  const { nc, subjects, log, timeoutMs } = opts;

  /** Runs `ask` in the socket's frame queue and answers `ref` with its result or its error. */
  function answer(ws: Socket, ref: string, ask: () => Promise<unknown>): void {
    inOrder(ws, log, {
      run: async () => sendFrame(ws, serverFrames.ack(ref, await ask())),
      full: () => serverFrames.refused(ref, 'too_many_requests', 'Too many frames waiting; slow down', 429),
      failed: (err) => refusal(ref, err),
    });
  }

  return {
    send_message: (ws: Socket, frame: ClientFrameOf<'send_message'>) => {
      const chatId = chatOf(ws, frame.chat_id);
      if (!chatId) return void ws.send(JSON.stringify(serverFrames.refused(frame.ref, 'bad_request', 'Name the chat: chat_id', 400)), false);
      const data = ws.getUserData();
      answer(ws, frame.ref, () =>
        request(nc, subjects.messagesSend, messagesSend, { user_id: userOf(data), username: data.username, chat_id: chatId, body: frame.payload, via: 'socket' }, timeoutMs),
      );
    },
    mark_read: (ws: Socket, frame: ClientFrameOf<'mark_read'>) => {
      const data = ws.getUserData();
      const chatId = chatOf(ws, frame.chat_id);
      answer(ws, frame.ref, () => request(nc, subjects.messagesRead, messagesRead, { user_id: userOf(data), chat_id: chatId, body: frame.payload }, timeoutMs));
    },
  };
}

/** What messages refused, as the REST route's status and code; anything else is the gateway's own 500. */
function refusal(ref: string, err: unknown) {
  if (!isAppError(err)) return serverFrames.refused(ref, 'internal', 'Internal error', 500);
  const frame = serverFrames.refused(ref, err.code, err.message, err.status);
  // As a refused live frame says it: when to try again (429, 503).
  return err.retryAfter ? { ...frame, payload: { ...frame.payload, retry_after_ms: err.retryAfter * 1000 } } : frame;
}

export type SocketSends = ReturnType<typeof createSocketSends>;
