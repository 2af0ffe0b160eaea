import { describe, expect, it } from 'vitest';
import type { MessageObject, ReadState, SendMessageInput } from '@chatroulette/contracts';
import { ApiError, ConnectionError } from '../errors.js';
import { Connection } from './connection.js';
import { PendingRefs } from './refs.js';
import { Sender } from './sender.js';
import { OPEN, type WebSocketLike } from './websocket.js';

// The socket side of sends (the contract's "Sending over the socket"), which the gateway does not
// serve yet: the frames it writes and what it makes of each answer, on a WebSocket that records.

const message = (id: string) => ({ id, content: id }) as MessageObject;

function setup(opts: { rest?: (body: SendMessageInput) => Promise<MessageObject> } = {}) {
  const frames: { type: string; ref: string; chat_id?: string; payload: Record<string, unknown> }[] = [];
  const ws: WebSocketLike = { readyState: OPEN, onopen: null, onmessage: null, onclose: null, onerror: null, send: (d) => void frames.push(JSON.parse(d)), close: () => undefined };
  const conn = new Connection(ws, 'token');
  conn.authed = true;
  const refs = new PendingRefs();
  const restCalls: SendMessageInput[] = [];
  const sender = new Sender({
    chatId: 'c1',
    refs,
    connection: () => conn,
    rest: {
      sendMessage: async (_chat, body) => (restCalls.push(body), opts.rest ? opts.rest(body) : message(`rest-${restCalls.length}`)),
      markRead: async (id) => ({ message_id: id, status: 'read', read_by: ['u'], read_at: null }) as ReadState,
    },
    backoff: { initialDelayMs: 1, maxDelayMs: 2, factor: 2 },
    retryForMs: 5000,
    ackTimeoutMs: 5000,
  });
  /** Until the socket has `n` frames. */
  const framesAt = async (n: number) => {
    while (frames.length < n) await new Promise((r) => setTimeout(r, 1));
    return frames;
  };
  return { frames, framesAt, conn, refs, sender, restCalls };
}

describe('Sender over the socket', () => {
  it('sends send_message with a ref, the chat and an idempotency key, and resolves with its ack', async () => {
    const { framesAt, refs, sender, restCalls } = setup();
    const sent = sender.send({ type: 'text', content: 'hi' });
    const [frame] = await framesAt(1);
    expect(frame).toEqual({ type: 'send_message', ref: expect.any(String), chat_id: 'c1', payload: { type: 'text', content: 'hi', client_message_id: expect.any(String) } });
    refs.ack(frame!.ref, message('m1'));
    expect(await sent).toEqual(message('m1'));
    expect(restCalls).toEqual([]);
  });

  it('rejects with the error frame of its ref (a refusal is not retried over REST)', async () => {
    const { framesAt, refs, sender, restCalls } = setup();
    const sent = sender.send({ type: 'text', content: 'hi' });
    const [frame] = await framesAt(1);
    refs.fail(frame!.ref, new ApiError(409, 'conflict', 'Chat is closed'));
    await expect(sent).rejects.toMatchObject({ status: 409, code: 'conflict' });
    expect(restCalls).toEqual([]);
  });

  it('sends over REST, with the same idempotency key, what lost its answer (the socket closed)', async () => {
    const { framesAt, refs, sender, restCalls } = setup();
    const sent = sender.send({ type: 'text', content: 'hi' });
    const [frame] = await framesAt(1);
    refs.loseAll('the socket closed');
    expect(await sent).toEqual(message('rest-1'));
    expect(restCalls).toEqual([frame!.payload]);
  });

  it('uses REST at once for a type the connection does not serve, and marks read the same way', async () => {
    const { frames, conn, sender, restCalls } = setup();
    conn.unsupported.add('send_message');
    expect(await sender.send({ type: 'text', content: 'hi', client_message_id: 'k' })).toEqual(message('rest-1'));
    expect(restCalls).toEqual([{ type: 'text', content: 'hi', client_message_id: 'k' }]);
    conn.unsupported.add('mark_read');
    expect(await sender.markRead('m9')).toMatchObject({ message_id: 'm9', status: 'read' });
    expect(frames).toEqual([]);
  });

  it('retries an outage with the same body, and sends in call order', async () => {
    let failures = 2;
    const { conn, sender, restCalls } = setup({
      rest: async (body) => {
        if (failures-- > 0) throw new ConnectionError('no answer');
        return message(String(body.content));
      },
    });
    conn.unsupported.add('send_message');
    const results = await Promise.all([sender.send({ type: 'text', content: 'first' }), sender.send({ type: 'text', content: 'second' })]);
    expect(results.map((m) => m.id)).toEqual(['first', 'second']);
    expect(restCalls.map((b) => b.content)).toEqual(['first', 'first', 'first', 'second']);
    expect(new Set(restCalls.slice(0, 3).map((b) => b.client_message_id)).size).toBe(1);
  });
});
