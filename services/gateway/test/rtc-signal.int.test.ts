import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limits } from '@chatroulette/contracts';
import { api, registerUser, startStack, testScope, waitUntil, type Instance, type SocketClient, type Stack, type TestUser } from '@chatroulette/testing';
import { chatPair, pingBarrier, socketPool } from './helpers.js';

/**
 * WebRTC signalling through the gateways (contract "Live extras on the socket"): relayed unchanged
 * and in order to the other participants of an open chat, the frame limit, the budgets, every
 * refusal as an error frame with the socket left open; and GET /api/v1/rtc/ice-servers.
 */
const scope = testScope('gateway-rtc');
const turnSecret = 'rtc-test-secret-0123456789';
let stack: Stack;
let gw1: Instance;
let gw2: Instance;
/** Small budgets: 1 signal a second in bursts of 5, 3 typing frames a minute. */
let tight: Instance;
const sockets = socketPool();
const socket = sockets.open;

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    env: {
      auth: { STUN_URLS: 'stun:stun.example.com:3478', TURN_URLS: 'turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349', TURN_SECRET: turnSecret, TURN_TTL_SECONDS: '3600' },
      roulette: { ROULETTE_MATCHER_LOOP_MS: '100' },
    },
    instances: [
      'auth',
      'messages',
      'roulette',
      'gateway',
      'gateway',
      { service: 'gateway', env: { RATE_RTC_SIGNALS_PER_SECOND: '1', RATE_RTC_SIGNALS_BURST: '5', RATE_TYPING_PER_MINUTE: '3' } },
    ],
  });
  [gw1, gw2, tight] = stack.all('gateway') as [Instance, Instance, Instance];
});

afterAll(async () => {
  sockets.closeAll();
  await stack?.destroy();
});

const pair = () => chatPair(gw1.url, 'r');

/** Two users matched by the roulette: a roulette chat, which a skip closes. */
async function matchedPair(): Promise<{ a: TestUser; b: TestUser; chatId: string }> {
  const [a, b] = await Promise.all([registerUser(gw1.url, 'ma'), registerUser(gw1.url, 'mb')]);
  await Promise.all([socket(gw1, a), socket(gw1, b)]);
  expect((await api(gw1.url, 'POST', '/api/v1/chatroulette/search', { token: a.token })).status).toBe(202);
  const found = await api(gw1.url, 'GET', '/api/v1/chatroulette/find', { token: b.token });
  expect(found.body.status).toBe('matched');
  return { a, b, chatId: found.body.chat_id };
}

const signalsOf = (s: SocketClient) => s.ofType('rtc_signal');
const errorCodes = (s: SocketClient) => s.ofType('error').map((f) => f.payload.code);

describe('rtc_signal', () => {
  it('reaches the other participants on both gateways unchanged and in order, never the sender’s sockets', async () => {
    const { a, b, chatId } = await pair();
    const [a1, a2, b1, b2] = await Promise.all([socket(gw1, a, chatId), socket(gw2, a, chatId), socket(gw1, b, chatId), socket(gw2, b, chatId)]);
    const sent: { kind: string; data?: unknown }[] = [
      { kind: 'offer', data: { type: 'offer', sdp: 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n' } },
      ...Array.from({ length: 40 }, (_, i) => ({ kind: 'candidate', data: { candidate: `candidate:${i} 1 udp 2122260223 10.0.0.${i} 5${i} typ host`, sdpMid: '0', sdpMLineIndex: 0 } })),
      { kind: 'answer', data: [null, 'ünï 😀', 3.5, { nested: { deep: [true, false] } }] },
      { kind: 'candidate', data: null },
      { kind: 'hangup' },
    ];
    for (const { kind, data } of sent) a1.send({ type: 'rtc_signal', chat_id: chatId, payload: { kind, data } });
    for (const s of [b1, b2]) {
      const got = await s.waitFor((f) => f.type === 'rtc_signal', sent.length);
      expect(got.map((f) => f.payload)).toEqual(sent.map(({ kind, data }) => ({ from: a.id, kind, ...(data !== undefined ? { data } : {}) })));
      expect(got.every((f) => f.chat_id === chatId && !('seq' in f))).toBe(true);
    }
    await Promise.all([pingBarrier(a1), pingBarrier(a2)]);
    expect([...signalsOf(a1), ...signalsOf(a2)]).toEqual([]);
    expect(errorCodes(a1)).toEqual([]);
    // b answers on its own socket of the other gateway: a gets it, b's other socket does not.
    b2.send({ type: 'rtc_signal', payload: { kind: 'answer', data: { sdp: 'x' } } });
    const [answer] = await a1.waitFor((f) => f.type === 'rtc_signal');
    expect(answer.payload).toEqual({ from: b.id, kind: 'answer', data: { sdp: 'x' } });
    await a2.waitFor((f) => f.type === 'rtc_signal');
    await pingBarrier(b1);
    expect(signalsOf(b1)).toHaveLength(sent.length);
  });

  it(`takes a frame of ${limits.maxSocketFrameBytes} bytes; a larger one gets frame_too_large, the socket stays, nothing goes out`, async () => {
    const { a, b, chatId } = await pair();
    const [a1, b2] = await Promise.all([socket(gw1, a, chatId), socket(gw2, b, chatId)]);
    const frame = (bytes: number, tag: string) => {
      const head = JSON.stringify({ type: 'rtc_signal', chat_id: chatId, payload: { kind: 'offer', data: { tag, sdp: '' } } });
      return head.replace('"sdp":""', `"sdp":"${'x'.repeat(bytes - head.length)}"`);
    };
    expect(Buffer.byteLength(frame(limits.maxSocketFrameBytes, 'at'))).toBe(limits.maxSocketFrameBytes);
    a1.send(frame(limits.maxSocketFrameBytes, 'at'));
    a1.send(frame(limits.maxSocketFrameBytes + 1, 'over'));
    a1.send({ type: 'rtc_signal', payload: { kind: 'hangup', data: { tag: 'after' } } });
    const [tooLarge] = await a1.waitFor((f) => f.type === 'error');
    expect(tooLarge).toMatchObject({ chat_id: chatId, payload: { code: 'frame_too_large', message: expect.any(String) } });
    const got = await b2.waitFor((f) => f.type === 'rtc_signal', 2);
    expect(got.map((f) => f.payload.data.tag)).toEqual(['at', 'after']);
    await pingBarrier(b2);
    expect(signalsOf(b2)).toHaveLength(2);
    expect(a1.closedCode).toBeUndefined();
  });

  it('refuses an unknown kind, no chat, a chat of others, no such chat and malformed frames, each with its code, the socket open', async () => {
    const { a, b, chatId } = await pair();
    const stranger = await registerUser(gw1.url, 'rs');
    const [a1, lobby, strangerSocket, b2] = await Promise.all([socket(gw1, a, chatId), socket(gw2, a), socket(gw1, stranger), socket(gw2, b, chatId)]);
    a1.send({ type: 'rtc_signal', payload: { kind: 'dance', data: 1 } });
    lobby.send({ type: 'rtc_signal', payload: { kind: 'offer', data: 1 } });
    strangerSocket.send({ type: 'rtc_signal', chat_id: chatId, payload: { kind: 'offer', data: 1 } });
    strangerSocket.send({ type: 'rtc_signal', chat_id: crypto.randomUUID(), payload: { kind: 'offer', data: 1 } });
    a1.send({ type: 'rtc_signal', chat_id: 'nope', payload: { kind: 'offer' } });
    a1.send({ type: 'rtc_signal', data: {} });
    a1.send({ type: 'rtc_signal', payload: { kind: 'offer', data: 'the one that passes' } });
    const [passed] = await b2.waitFor((f) => f.type === 'rtc_signal');
    expect(passed.payload.data).toBe('the one that passes');
    await a1.waitFor((f) => f.type === 'error', 3);
    expect(errorCodes(a1).sort()).toEqual(['invalid_frame', 'invalid_frame', 'unknown_kind']);
    expect(a1.ofType('error').find((f) => f.payload.code === 'unknown_kind')).toMatchObject({ chat_id: chatId });
    await lobby.waitFor((f) => f.type === 'error');
    expect(errorCodes(lobby)).toEqual(['chat_required']);
    await strangerSocket.waitFor((f) => f.type === 'error', 2);
    expect(errorCodes(strangerSocket)).toEqual(['not_participant', 'not_participant']);
    await Promise.all([pingBarrier(b2), pingBarrier(a1), pingBarrier(lobby), pingBarrier(strangerSocket)]);
    expect(signalsOf(b2)).toHaveLength(1);
    for (const s of [a1, lobby, strangerSocket]) expect(s.closedCode).toBeUndefined();
  });

  it('refuses chat_closed once a roulette chat has ended, on the gateways that hold it and on one that does not', async () => {
    const { a, b, chatId } = await matchedPair();
    const [a1, b2] = await Promise.all([socket(gw1, a, chatId), socket(gw2, b, chatId)]);
    a1.send({ type: 'rtc_signal', payload: { kind: 'offer', data: 'while open' } });
    await b2.waitFor((f) => f.type === 'rtc_signal');
    expect((await api(gw1.url, 'POST', `/api/v1/chatroulette/${chatId}/skip`, { token: a.token })).status).toBe(200);
    await Promise.all([a1.waitFor((f) => f.type === 'chatroulette_left'), b2.waitFor((f) => f.type === 'chatroulette_left')]);
    a1.send({ type: 'rtc_signal', payload: { kind: 'offer', data: 'after the end' } });
    b2.send({ type: 'rtc_signal', payload: { kind: 'answer', data: 'after the end' } });
    const elsewhere = await socket(tight, b);
    elsewhere.send({ type: 'rtc_signal', chat_id: chatId, payload: { kind: 'candidate', data: 'after the end' } });
    for (const s of [a1, b2, elsewhere]) {
      const [refused] = await s.waitFor((f) => f.type === 'error');
      expect(refused).toMatchObject({ chat_id: chatId, payload: { code: 'chat_closed' } });
    }
    await Promise.all([pingBarrier(a1), pingBarrier(b2)]);
    expect(signalsOf(b2)).toHaveLength(1);
    expect(signalsOf(a1)).toHaveLength(0);
  });

  it('keeps a saved chat open after a leave', async () => {
    const { a, b, chatId } = await matchedPair();
    const [a1, b2] = await Promise.all([socket(gw1, a, chatId), socket(gw2, b, chatId)]);
    expect((await api(gw1.url, 'POST', `/api/v1/chatroulette/${chatId}/save`, { token: a.token })).status).toBe(200);
    expect((await api(gw1.url, 'POST', `/api/v1/chatroulette/${chatId}/skip`, { token: b.token })).status).toBe(200);
    await a1.waitFor((f) => f.type === 'chatroulette_left');
    // Right after the leave, gw1 takes the chat as closed until messages says it is not (it lives on, saved).
    let n = 0;
    await waitUntil(
      async () => {
        a1.send({ type: 'rtc_signal', payload: { kind: 'candidate', data: ++n } });
        return signalsOf(b2).length > 0 ? true : undefined;
      },
      { what: 'a signal through the saved chat', timeoutMs: 5000 },
    );
    expect(signalsOf(b2)[0].payload.from).toBe(a.id);
    expect(errorCodes(a1).filter((code) => code !== 'chat_closed')).toEqual([]);
  });
});

describe('budgets of live frames', () => {
  it('signals: bursts of RATE_RTC_SIGNALS_BURST, then RATE_RTC_SIGNALS_PER_SECOND; past them too_many_requests, in order', async () => {
    const { a, b, chatId } = await pair();
    const [a3, b1] = await Promise.all([socket(tight, a, chatId), socket(gw1, b, chatId)]);
    const total = 30;
    for (let i = 0; i < total; i++) a3.send({ type: 'rtc_signal', payload: { kind: 'candidate', data: i } });
    // Every frame is answered, forwarded or refused; the last one's fate is known when all are.
    await waitUntil(async () => (a3.ofType('error').length + signalsOf(b1).length === total ? true : undefined), { what: 'every signal judged', timeoutMs: 20_000, intervalMs: 50 });
    const forwarded = signalsOf(b1).map((f) => f.payload.data as number);
    const refused = a3.ofType('error');
    expect(forwarded.length).toBeGreaterThanOrEqual(5);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(forwarded).toEqual([...forwarded].sort((x, y) => x - y));
    expect(forwarded.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    for (const r of refused) expect(r).toMatchObject({ chat_id: chatId, payload: { code: 'too_many_requests', retry_after_ms: expect.any(Number) } });
    expect(a3.closedCode).toBeUndefined();
  });

  it('typing: RATE_TYPING_PER_MINUTE forwarded, then too_many_requests', async () => {
    const { a, b, chatId } = await pair();
    const [a3, b1] = await Promise.all([socket(tight, a, chatId), socket(gw1, b, chatId)]);
    for (let i = 0; i < 5; i++) a3.send({ type: 'typing', payload: { is_typing: false } });
    await a3.waitFor((f) => f.type === 'error', 2);
    await b1.waitFor((f) => f.type === 'typing', 3);
    await pingBarrier(a3);
    expect(errorCodes(a3)).toEqual(['too_many_requests', 'too_many_requests']);
    expect(a3.ofType('error')[0].payload.retry_after_ms).toBeGreaterThan(0);
  });
});

describe('GET /api/v1/rtc/ice-servers', () => {
  it('answers STUN and TURN with a credential coturn accepts for the ttl', async () => {
    const user = await registerUser(gw1.url, 'ri');
    const before = Math.floor(Date.now() / 1000);
    const res = await api(gw1.url, 'GET', '/api/v1/rtc/ice-servers', { token: user.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      ice_servers: [
        { urls: ['stun:stun.example.com:3478'] },
        { urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'], username: expect.stringMatching(new RegExp(`^\\d+:${user.id}$`)), credential: expect.any(String) },
      ],
      ttl: 3600,
    });
    const { username, credential } = res.body.ice_servers[1];
    const expiry = Number(username.split(':')[0]);
    expect(expiry).toBeGreaterThanOrEqual(before + 3600);
    expect(expiry).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 3600);
    expect(credential).toBe(createHmac('sha1', turnSecret).update(username).digest('base64'));
  });

  it('wants a token', async () => {
    const res = await api(gw1.url, 'GET', '/api/v1/rtc/ice-servers');
    expect(res.status).toBe(401);
  });
});
