import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, openSocket, registerUser, startStack, testScope, type SocketClient, type Stack, type TestUser } from '@chatroulette/testing';

/**
 * Two gateways on one NATS: their budgets live in one KV bucket, so a client spreading its sockets
 * and requests over both gets each budget once, not twice.
 */
const scope = testScope('gateway-budgets');
const budgets = { RATE_SOCKET_UPGRADES_PER_MINUTE: '3', RATE_SINCE_REPLAYS_PER_MINUTE: '2', RATE_ADDRESS_UPGRADES_PER_MINUTE: '1000', RATE_ADDRESS_REQUESTS_PER_MINUTE: '1000' };
let stack: Stack;
let gateways: string[];
let auth: string;
const sockets: SocketClient[] = [];

beforeAll(async () => {
  stack = await startStack({ infra: scope, env: { gateway: budgets }, instances: ['auth', 'messages', 'gateway', 'gateway'] });
  gateways = stack.all('gateway').map((g) => g.url);
  auth = stack.get('auth').url;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await stack?.destroy();
});

/** An upgrade as a plain HTTP request: the status and headers of a refusal (101 when accepted). */
function upgrade(base: string, query: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; retryAfter?: string; body?: any }> {
  const url = new URL(`${base}/api/v1/ws?${new URLSearchParams(query)}`);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), ...headers },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve({ status: 101 });
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function privateChat(a: TestUser, b: TestUser): Promise<string> {
  const chat = await api(stack.get('messages').url, 'POST', '/api/v1/chats', { token: a.token, body: { type: 'private', participant_ids: [b.id] } });
  expect(chat.status).toBe(201);
  return chat.body.id;
}

describe('gateway budgets across two gateways', () => {
  it('socket upgrades per user: the budget across both gateways, then 429 with Retry-After', async () => {
    const user = await registerUser(auth);
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => upgrade(gateways[i % 2]!, { token: user.token })));
    expect(outcomes.filter((o) => o.status === 101)).toHaveLength(3);
    const refused = outcomes.filter((o) => o.status !== 101);
    expect(refused).toHaveLength(3);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(r.body).toMatchObject({ code: 'too_many_requests' });
      expect(Number(r.retryAfter)).toBeGreaterThan(50);
    }
    // Another user has a budget of their own.
    expect((await upgrade(gateways[1]!, { token: (await registerUser(auth)).token })).status).toBe(101);
  });

  it('since replays per user', async () => {
    const [user, other] = await Promise.all([registerUser(auth), registerUser(auth)]);
    const chatId = await privateChat(user, other);
    // Within the upgrades budget (3): two replays pass, the third is refused; a socket without since still opens.
    const first = await Promise.all([0, 1].map((i) => upgrade(gateways[i]!, { token: user.token, chat_id: chatId, since: '0' })));
    expect(first.map((o) => o.status)).toEqual([101, 101]);
    const third = await upgrade(gateways[0]!, { token: user.token, chat_id: chatId, since: '0' });
    expect(third).toMatchObject({ status: 429, body: { code: 'too_many_requests' } });
  });

  it('the first-frame path spends the same budget and answers an error frame', async () => {
    const user = await registerUser(auth);
    for (let i = 0; i < 3; i++) expect((await upgrade(gateways[i % 2]!, { token: user.token })).status).toBe(101);
    const ws = await openSocket(gateways[1]!, { auth: 'frame' });
    sockets.push(ws);
    ws.send({ type: 'auth', token: user.token });
    const [error] = await ws.waitFor((f) => f.type === 'error');
    expect(JSON.stringify(error)).toMatch(/Too many socket connections/);
    // Try again later (1013), as for any refusal that is not the token's or the membership's.
    expect((await ws.closeAndWait()).code).toBe(1013);
  });
});

describe('per-address budgets across two gateways', () => {
  let limited: Stack;
  let urls: string[];
  beforeAll(async () => {
    const env = { ...budgets, RATE_ADDRESS_REQUESTS_PER_MINUTE: '10', RATE_ADDRESS_UPGRADES_PER_MINUTE: '4', RATE_SOCKET_UPGRADES_PER_MINUTE: '100' };
    // Their own namespace, so the other tests' requests from this address do not count.
    limited = await startStack({ infra: testScope('gateway-address'), env: { gateway: env }, instances: ['auth', 'messages', 'gateway', 'gateway'] });
    urls = limited.all('gateway').map((g) => g.url);
  });
  afterAll(async () => {
    await limited?.destroy();
  });

  it('REST requests: the budget across both (a body handed on intact), then 429 with Retry-After; the probes are free', async () => {
    const [a, b] = await Promise.all([registerUser(limited.get('auth').url), registerUser(limited.get('auth').url)]);
    // A request with a body, through the budget: the chat is made as asked.
    const made = await api(urls[0]!, 'POST', '/api/v1/chats', { token: a.token, body: { type: 'private', participant_ids: [b.id] } });
    expect(made.status).toBe(201);
    expect(JSON.stringify(made.body)).toContain(b.id);
    // One of 60 KB, in many chunks (uWS paused while the budget is asked): still whole.
    const padded = `{"type":"private","participant_ids":["${b.id}"]${' '.repeat(60_000)}}`;
    expect((await api(urls[1]!, 'POST', '/api/v1/chats', { token: a.token, raw: padded })).status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 14 }, (_, i) => api(urls[i % 2]!, 'GET', '/api/v1/chats', { token: a.token })));
    expect(answers.filter((x) => x.status === 200)).toHaveLength(8);
    const refused = answers.filter((x) => x.status === 429);
    expect(refused).toHaveLength(6);
    expect(refused[0]!.body).toMatchObject({ code: 'too_many_requests' });
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(50);
    expect((await fetch(`${urls[1]}/healthz`)).status).toBe(200);
  });

  it('upgrades per address', async () => {
    const user = await registerUser(limited.get('auth').url);
    const outcomes = await Promise.all(Array.from({ length: 7 }, (_, i) => upgrade(urls[i % 2]!, { token: user.token })));
    expect(outcomes.filter((o) => o.status === 101)).toHaveLength(4);
    expect(outcomes.filter((o) => o.status === 429)).toHaveLength(3);
  });
});
