import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createChat, registerUser, startStack, testScope, type Instance, type SocketClient, type Stack } from '@chatroulette/testing';
import { chatPair, pingBarrier, socketPool } from './helpers.js';

/**
 * Sending over the socket (contract "Sending over the socket"): send_message and mark_read with
 * `ref`, answered once to the sending socket by `ack` (the REST route's 2xx answer) or an error frame
 * with the REST route's status; the events reach every socket of the chat on every gateway, and a
 * socket's messages are stored in the order sent. Two messages instances answer the requests.
 */
const scope = testScope('gateway-socket-sends');
let stack: Stack;
let gw1: Instance;
let gw2: Instance;
const sockets = socketPool();
const socket = sockets.open;

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    env: { messages: { RATE_MESSAGES_PER_SECOND: '1', RATE_MESSAGES_BURST: '30', RATE_READS_PER_MINUTE: '6' } },
    instances: ['auth', 'messages', 'messages', 'roulette', 'gateway', 'gateway'],
  });
  [gw1, gw2] = stack.all('gateway') as [Instance, Instance];
});

afterAll(async () => {
  sockets.closeAll();
  await stack?.destroy();
});

/** The answers (acks and error frames with a ref) a socket got, by ref. */
function answersOf(s: SocketClient): Map<string, any> {
  return new Map(s.frames.filter((f) => typeof f.ref === 'string').map((f) => [f.ref, f]));
}

async function answer(s: SocketClient, ref: string): Promise<any> {
  const [got] = await s.waitFor((f) => f.ref === ref);
  return got;
}

describe('send_message', () => {
  it('stores the message as the REST route does: ack with the message object, new_message to every socket on both gateways', async () => {
    const { a, b, chatId } = await chatPair(gw1.url, 'ss');
    const [a1, b1, b2] = await Promise.all([socket(gw1, a, chatId), socket(gw1, b, chatId), socket(gw2, b, chatId)]);
    a1.send({ type: 'send_message', ref: 'r1', payload: { type: 'text', content: 'over the socket' } });
    const ack = await answer(a1, 'r1');
    expect(ack).toEqual({ type: 'ack', ref: 'r1', payload: expect.objectContaining({ chat_id: chatId, user_id: a.id, content: 'over the socket', status: 'sent' }) });
    for (const s of [a1, b1, b2]) {
      const [event] = await s.waitFor((f) => f.type === 'new_message');
      expect(event.payload).toEqual(ack.payload);
    }
    const history = await api(gw2.url, 'GET', `/api/v1/chats/${chatId}/messages`, { token: b.token });
    expect(history.body.map((m: any) => m.id)).toEqual([ack.payload.id]);
    await Promise.all([pingBarrier(b1), pingBarrier(b2)]);
    expect([...b1.frames, ...b2.frames].filter((f) => 'ref' in f)).toEqual([]);
  });

  it('stores a socket’s messages in the order sent, each ref answered exactly once, a retried client_message_id once', async () => {
    const { a, b, chatId } = await chatPair(gw1.url, 'so');
    const a1 = await socket(gw2, a, chatId);
    const b1 = await socket(gw1, b, chatId);
    const refs = Array.from({ length: 25 }, (_, i) => `m${i}`);
    for (const ref of refs) a1.send({ type: 'send_message', ref, payload: { type: 'text', content: ref, client_message_id: `key-${ref}` } });
    // The same key again: the message stored the first time, no second event.
    a1.send({ type: 'send_message', ref: 'again', payload: { type: 'text', content: 'm0', client_message_id: 'key-m0' } });
    await a1.waitFor((f) => f.type === 'ack', refs.length + 1);
    const answers = answersOf(a1);
    expect([...answers.values()].every((f) => f.type === 'ack')).toBe(true);
    expect(a1.frames.filter((f) => f.type === 'ack').length).toBe(refs.length + 1);
    expect(answers.get('again').payload.id).toBe(answers.get('m0').payload.id);
    const events = await b1.waitFor((f) => f.type === 'new_message', refs.length);
    expect(events.map((f) => f.payload.content)).toEqual(refs);
    // Numbered in that order too (delivery status updates take the seqs between them).
    const seqs = events.map((f) => f.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    await pingBarrier(b1);
    expect(b1.ofType('new_message').length).toBe(refs.length);
  });

  it('refuses as the REST route would, with its status, and the socket stays open', async () => {
    const { a, b, chatId } = await chatPair(gw1.url, 'sr');
    const stranger = await registerUser(gw1.url, 'st');
    const s = await socket(gw1, a, chatId);
    const lone = await socket(gw1, stranger);
    const rest = (token: string, id: string, body: unknown) => api(gw1.url, 'POST', `/api/v1/chats/${id}/messages`, { token, body });

    s.send({ type: 'send_message', ref: 'bad', payload: { type: 'text', content: '' } });
    const bad = await answer(s, 'bad');
    const badRest = await rest(a.token, chatId, { type: 'text', content: '' });
    expect(bad).toEqual({ type: 'error', ref: 'bad', payload: { code: badRest.body.code, message: expect.any(String), status: badRest.status } });
    expect(bad.payload.status).toBe(400);

    lone.send({ type: 'send_message', ref: 'not-mine', chat_id: chatId, payload: { type: 'text', content: 'hi' } });
    const notMine = await answer(lone, 'not-mine');
    const notMineRest = await rest(stranger.token, chatId, { type: 'text', content: 'hi' });
    expect(notMine.payload).toMatchObject({ code: notMineRest.body.code, status: notMineRest.status });
    expect([403, 404]).toContain(notMine.payload.status);

    lone.send({ type: 'send_message', ref: 'no-chat', payload: { type: 'text', content: 'hi' } });
    expect((await answer(lone, 'no-chat')).payload).toMatchObject({ code: 'bad_request', status: 400 });

    // Without a ref (or with one over 64 characters) there is nothing to answer it by: an error frame.
    s.send({ type: 'send_message', payload: { type: 'text', content: 'hi' } });
    s.send({ type: 'send_message', ref: 'x'.repeat(65), payload: { type: 'text', content: 'hi' } });
    const invalid = await s.waitFor((f) => f.type === 'error' && !('ref' in f), 2);
    expect(invalid.map((f) => f.payload.code)).toEqual(['invalid_frame', 'invalid_frame']);

    s.send({ type: 'send_message', ref: 'still-open', payload: { type: 'text', content: 'fine' } });
    expect((await answer(s, 'still-open')).type).toBe('ack');
    const history = await api(gw1.url, 'GET', `/api/v1/chats/${chatId}/messages`, { token: b.token });
    expect(history.body.map((m: any) => m.content)).toEqual(['fine']);
  });

  it('spends the sender’s one send budget, over REST and the socket together: 429 with when to retry', async () => {
    const { a, chatId } = await chatPair(gw1.url, 'sb');
    const s = await socket(gw2, a, chatId);
    // The burst is 30 (RATE_MESSAGES_BURST), refilled at 1 a second: 20 over REST, then 15 over the socket.
    const started = Date.now();
    for (let i = 0; i < 20; i++) expect((await api(gw1.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: a.token, body: { type: 'text', content: `r${i}` } })).status).toBe(201);
    const refs = Array.from({ length: 15 }, (_, i) => `b${i}`);
    for (const ref of refs) s.send({ type: 'send_message', ref, payload: { type: 'text', content: ref } });
    await s.waitFor((f) => typeof f.ref === 'string', refs.length);
    const refilled = Math.floor((Date.now() - started) / 1000);
    const answers = refs.map((ref) => answersOf(s).get(ref));
    const acked = answers.filter((f) => f.type === 'ack').length;
    expect(acked).toBeGreaterThanOrEqual(10);
    expect(acked).toBeLessThanOrEqual(10 + refilled);
    const refused = answers.filter((f) => f.type === 'error');
    expect(refused.length).toBe(refs.length - acked);
    expect(refused.length).toBeGreaterThan(0);
    for (const f of refused) expect(f.payload).toMatchObject({ code: 'too_many_requests', status: 429, retry_after_ms: expect.any(Number) });
  });
});

describe('mark_read', () => {
  it('acks the read state, the status update reaches the sender; a message of another chat is not found there', async () => {
    const { a, b, chatId } = await chatPair(gw1.url, 'mr');
    // b's chat with someone else: b may read it, but not through a frame of this chat.
    const c = await registerUser(gw1.url, 'mc');
    const otherChat = await createChat(gw1.url, c, [b]);
    const [a1, b1] = await Promise.all([socket(gw1, a, chatId), socket(gw2, b, chatId)]);
    const sent = await api(gw1.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: a.token, body: { type: 'text', content: 'read me' } });
    b1.send({ type: 'mark_read', ref: 'rd', payload: { message_id: sent.body.id } });
    const ack = await answer(b1, 'rd');
    expect(ack).toEqual({ type: 'ack', ref: 'rd', payload: { message_id: sent.body.id, status: 'read', read_by: [b.id], read_at: expect.any(String) } });
    const [update] = await a1.waitFor((f) => f.type === 'message_status_update' && f.payload.status === 'read');
    expect(update.payload).toEqual(ack.payload);

    const elsewhere = await api(gw1.url, 'POST', `/api/v1/chats/${otherChat}/messages`, { token: c.token, body: { type: 'text', content: 'x' } });
    b1.send({ type: 'mark_read', ref: 'wrong-chat', payload: { message_id: elsewhere.body.id } });
    b1.send({ type: 'mark_read', ref: 'no-id', payload: {} });
    expect((await answer(b1, 'wrong-chat')).payload).toMatchObject({ code: 'not_found', status: 404 });
    expect((await answer(b1, 'no-id')).payload).toMatchObject({ code: 'bad_request', status: 400 });
  });

  it('spends the reader’s one reads budget, over REST and the socket together (RATE_READS_PER_MINUTE 6)', async () => {
    const { a, b, chatId } = await chatPair(gw1.url, 'rb');
    const b1 = await socket(gw2, b, chatId);
    const sent = await api(gw1.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: a.token, body: { type: 'text', content: 'read me often' } });
    for (let i = 0; i < 4; i++) expect((await api(gw1.url, 'PUT', `/api/v1/messages/${sent.body.id}/read`, { token: b.token })).status).toBe(200);
    const refs = ['r1', 'r2', 'r3', 'r4'];
    for (const ref of refs) b1.send({ type: 'mark_read', ref, payload: { message_id: sent.body.id } });
    await b1.waitFor((f) => refs.includes(f.ref), refs.length);
    const answers = refs.map((ref) => answersOf(b1).get(ref));
    expect(answers.map((f) => f.type)).toEqual(['ack', 'ack', 'error', 'error']);
    for (const f of answers.slice(2)) expect(f.payload).toMatchObject({ code: 'too_many_requests', status: 429, retry_after_ms: expect.any(Number) });
  });
});
