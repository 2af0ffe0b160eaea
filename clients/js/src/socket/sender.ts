import type { MessageObject, ReadState, RefFrameType, SendMessageInput, SocketAckPayloads } from '@chatroulette/contracts';
import { isTransient } from '../errors.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import type { Connection } from './connection.js';
import { LostAck, type PendingRefs } from './refs.js';

/** The REST routes behind the socket's sends. */
export interface RestSends {
  sendMessage: (chatId: string, body: SendMessageInput) => Promise<MessageObject>;
  markRead: (messageId: string) => Promise<ReadState>;
}

export interface SenderDeps {
  chatId: string | null;
  rest: RestSends;
  refs: PendingRefs;
  /** The connection to send on, or null for REST only. */
  connection: () => Connection | null;
  backoff: BackoffOptions;
  retryForMs: number;
  ackTimeoutMs: number;
}

/**
 * send_message and mark_read: over the socket with a `ref` (the contract's "Sending over the
 * socket") on a connection whose server answers them, else over REST. A frame whose answer is lost
 * (the socket closed, no ack in time, the type not served) goes again over REST, and an outage
 * (no answer, 502/503/504) is retried with backoff for `retryForMs`: each message carries a
 * `client_message_id`, so no attempt stores it twice. Messages are sent one after another, in call order.
 */
export class Sender {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SenderDeps) {}

  send(input: SendMessageInput): Promise<MessageObject> {
    const chatId = this.deps.chatId;
    if (!chatId) return Promise.reject(new Error('send needs a socket opened with a chatId'));
    const body = { ...input, client_message_id: input.client_message_id ?? newClientId() };
    const run = () => this.deliver('send_message', body, () => this.deps.rest.sendMessage(chatId, body));
    const done = this.queue.then(run, run);
    this.queue = done.catch(() => undefined);
    return done;
  }

  markRead(messageId: string): Promise<ReadState> {
    return this.deliver('mark_read', { message_id: messageId }, () => this.deps.rest.markRead(messageId));
  }

  private async deliver<T extends RefFrameType>(type: T, payload: object, viaRest: () => Promise<SocketAckPayloads[T]>): Promise<SocketAckPayloads[T]> {
    const deadline = Date.now() + this.deps.retryForMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const conn = this.deps.connection();
        if (conn?.sendable && !conn.unsupported.has(type)) {
          const { ref, answer } = this.deps.refs.open(type, this.deps.ackTimeoutMs);
          conn.send({ type, ref, ...(this.deps.chatId ? { chat_id: this.deps.chatId } : {}), payload });
          try {
            return await answer;
          } catch (e) {
            if (!(e instanceof LostAck)) throw e;
          }
        }
        return await viaRest();
      } catch (e) {
        const wait = backoffDelay(attempt, this.deps.backoff);
        if (!isTransient(e) || Date.now() + wait > deadline) throw e;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }
}

/** An idempotency key for one message. */
function newClientId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}
