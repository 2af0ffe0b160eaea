import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, registerUser, startStack, testScope, type Instance, type Stack } from '@chatroulette/testing';
import { chatPair, socketPool, startGateway } from './helpers.js';

/**
 * POST /api/v1/chats/{id}/messages is asked of the messages service over NATS, not through its HTTP:
 * a gateway whose MESSAGES_URL leads nowhere still sends, and every answer (201 and refusals) is the
 * one the route gives when asked directly, status, body, Retry-After and all.
 */
const scope = testScope('gateway-rest-sends');
let stack: Stack;
let gw: Instance;
let messagesUrl: string;
let natsOnly: Awaited<ReturnType<typeof startGateway>>;
const sockets = socketPool();

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    env: { messages: { RATE_MESSAGES_PER_SECOND: '1', RATE_MESSAGES_BURST: '3' } },
    instances: ['auth', 'messages', 'gateway'],
  });
  gw = stack.all('gateway')[0]!;
  messagesUrl = stack.all('messages')[0]!.url;
  const nowhere = 'http://127.0.0.1:9';
  natsOnly = await startGateway(scope, { AUTH_URL: stack.all('auth')[0]!.url, MESSAGES_URL: nowhere, ROULETTE_URL: nowhere, MEDIA_URL: nowhere });
});

afterAll(async () => {
  sockets.closeAll();
  await natsOnly?.stop();
  await stack?.destroy();
});

/** An answer without what differs per request (its id). */
function comparable(r: { status: number; body: any; headers: Headers }) {
  const { request_id: _id, ...body } = r.body ?? {};
  return { status: r.status, body, retryAfter: r.headers.get('retry-after') !== null, type: r.headers.get('content-type') };
}

describe('REST sends over NATS', () => {
  it('stores and delivers through a gateway that cannot reach messages over HTTP: 201 with the message, the event on the socket', async () => {
    const { a, b, chatId } = await chatPair(gw.url, 'rs');
    const bSocket = await sockets.open(gw, b, chatId);
    const sent = await api(natsOnly.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: a.token, body: { type: 'text', content: 'over nats' }, headers: { 'x-request-id': 'rest-send-1' } });
    expect(sent.status).toBe(201);
    expect(sent.headers.get('x-request-id')).toBe('rest-send-1');
    expect(sent.body).toMatchObject({ chat_id: chatId, user_id: a.id, type: 'text', content: 'over nats', status: 'sent' });
    const [frame] = await bSocket.waitFor((f) => f.type === 'new_message');
    expect(frame.payload).toEqual(sent.body);
    const history = await api(gw.url, 'GET', `/api/v1/chats/${chatId}/messages`, { token: b.token });
    // b's socket got it, so it may be delivered by now.
    expect(history.body).toEqual([{ ...sent.body, status: expect.stringMatching(/^(sent|delivered)$/) }]);
  });

  it('refuses as the route does when asked directly: token, body, membership, budget', async () => {
    const { a, chatId } = await chatPair(gw.url, 'rr');
    const stranger = await registerUser(gw.url, 'rx');
    const path = `/api/v1/chats/${chatId}/messages`;
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const cases: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> }[] = [
      { body: { type: 'text', content: 'no token' } },
      { token: 'not-a-token', body: { type: 'text', content: 'bad token' } },
      { token: a.token, body: { type: 'text' } },
      { token: a.token, body: [1, 2] },
      { token: a.token, body: { type: 'text', content: 'x'.repeat(5000) } },
      { token: stranger.token, body: { type: 'text', content: 'not mine' } },
      // Deeper than JSON.stringify goes: passed on as the client wrote it, refused as the route refuses it.
      { token: a.token, raw: deep(30_000) },
      { token: a.token, raw: `{"type":"text","content":${deep(30_000)}}` },
    ];
    for (const c of cases) {
      const [viaGateway, direct] = await Promise.all([api(natsOnly.url, 'POST', path, c), api(messagesUrl, 'POST', path, c)]);
      expect(comparable(viaGateway)).toEqual(comparable(direct));
      expect(viaGateway.status).toBeGreaterThanOrEqual(400);
      expect(viaGateway.body.request_id).toEqual(expect.any(String));
    }
    // The burst is 3: the fourth send of a over either transport is refused with when to retry.
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await api(natsOnly.url, 'POST', path, { token: a.token, body: { type: 'text', content: `b${i}` } }));
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 429]);
    const direct = await api(messagesUrl, 'POST', path, { token: a.token, body: { type: 'text', content: 'direct' } });
    expect(direct.status).toBe(429);
    expect(comparable(answers[3]!)).toEqual(comparable(direct));
    expect(answers[3]!.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('sends upstream what the route reads differently: a body that is not JSON, another content type', async () => {
    const { a, chatId } = await chatPair(gw.url, 'ru');
    const path = `/api/v1/chats/${chatId}/messages`;
    const notJson = await api(gw.url, 'POST', path, { token: a.token, raw: '{"type": "text",' });
    expect([notJson.status, notJson.body.error]).toEqual([400, 'Invalid JSON body']);
    // The gateway without messages over HTTP cannot take them: they went upstream, and nothing answers there.
    const [cut, text] = await Promise.all([
      api(natsOnly.url, 'POST', path, { token: a.token, raw: '{"type": "text",' }),
      api(natsOnly.url, 'POST', path, { token: a.token, raw: JSON.stringify({ type: 'text', content: 'plain' }), headers: { 'content-type': 'text/plain' } }),
    ]);
    expect([cut.status, text.status]).toEqual([502, 502]);
  });
});
