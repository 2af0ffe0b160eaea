import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, rawConnection, sleep, testScope } from '@chatroulette/testing';
import { startGateway } from './helpers.js';

/**
 * The gateway's defences at its REST edge, against a fake upstream that records what reaches it:
 * bodies buffered before dispatch (a trickle holds no upstream connection), the body timeout, the
 * per-address cap on requests in flight, X-Forwarded-For under TRUSTED_PROXIES, and HOST.
 */
const scope = testScope('gateway-rest-edge');

interface Seen {
  method: string;
  url: string;
  forwardedFor: string | undefined;
}
/** Every request that reached the upstream. */
const seen: Seen[] = [];
/** Answers to requests for `/api/v1/chats/hold`, kept until the test lets them go. */
const held: ServerResponse[] = [];
let upstream: Server;
let upstreamUrl: string;

function answer(req: IncomingMessage, res: ServerResponse) {
  let size = 0;
  req.on('data', (c: Buffer) => (size += c.length));
  req.on('end', () => {
    const s: Seen = { method: req.method ?? '', url: req.url ?? '', forwardedFor: req.headers['x-forwarded-for'] as string | undefined };
    seen.push(s);
    if (req.url?.startsWith('/api/v1/chats/hold')) return void held.push(res);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...s, size }));
  });
}

/** Plain: no cap, a long body timeout, no trusted proxy. */
let plain: Awaited<ReturnType<typeof startGateway>>;
/** 4 requests per address, a 400 ms body timeout, 127.0.0.1 and 10/8 trusted as proxies. */
let strict: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  upstream = createServer(answer);
  // The default would close the trickled connections' upstream side only after 5 minutes anyway.
  upstream.maxConnections = 10_000;
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as net.AddressInfo).port}`;
  const upstreams = { AUTH_URL: upstreamUrl, MESSAGES_URL: upstreamUrl, ROULETTE_URL: upstreamUrl };
  [plain, strict] = await Promise.all([
    startGateway(scope, { ...upstreams, GATEWAY_MAX_REQUESTS_PER_ADDRESS: '0', GATEWAY_BODY_TIMEOUT_MS: '60000' }),
    startGateway(scope, { ...upstreams, GATEWAY_MAX_REQUESTS_PER_ADDRESS: '4', GATEWAY_BODY_TIMEOUT_MS: '400', TRUSTED_PROXIES: '127.0.0.1/32, 10.0.0.0/8' }),
  ]);
});

afterAll(async () => {
  for (const res of held.splice(0)) res.end();
  await Promise.all([plain?.stop(), strict?.stop()]);
  upstream?.closeAllConnections();
  upstream?.close();
});

// A buffered JSON route the gateway forwards (a message send it would answer over NATS itself).
const chatPath = '/api/v1/chats';
/** The fake upstream's answers are the test's, not the API's: not checked against the OpenAPI document. */
const standIn = 'a stand-in upstream answers';

/** A raw connection that sends a request's head and the first byte of its body, then one byte every `everyMs`. */
async function trickle(base: string, everyMs: number, length = 64) {
  const conn = await rawConnection(base);
  conn.socket.write(`POST ${chatPath} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{`);
  const timer = setInterval(() => conn.socket.write(' '), everyMs);
  conn.socket.once('close', () => clearInterval(timer));
  return { answer: conn.answer, ended: conn.ended, close: conn.close };
}

/** A request whose answer the upstream holds until `releaseHeld()`. */
function holdRequest(base: string, headers: Record<string, string> = {}) {
  return api(base, 'GET', '/api/v1/chats/hold', { headers, orStatus0: true, unchecked: standIn });
}

function releaseHeld() {
  for (const res of held.splice(0)) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
}

describe('request bodies', () => {
  it('buffers a body whole before dispatch: 300 trickled bodies reach no upstream and do not delay a GET', async () => {
    const before = seen.length;
    const trickles = await Promise.all(Array.from({ length: 300 }, () => trickle(plain.url, 4000)));
    // Time for the gateway to have sent them on, if it streamed bodies.
    await sleep(500);
    const started = performance.now();
    const res = await api(plain.url, 'GET', '/api/v1/chats', { timeoutMs: 5000, orStatus0: true, unchecked: standIn });
    const ms = performance.now() - started;
    expect(res.status).toBe(200);
    // A trickle byte comes every 4 s: the GET was not waiting behind them.
    expect(ms).toBeLessThan(1500);
    // Nothing of the incomplete requests went upstream, so they hold none of its connections.
    expect(seen.slice(before).filter((s) => s.url === chatPath && s.method === 'POST')).toEqual([]);
    for (const t of trickles) t.close();
  }, 20_000);

  it('sends a body upstream once it is whole', async () => {
    const res = await api(plain.url, 'POST', chatPath, { body: { content: 'x'.repeat(50_000) }, unchecked: standIn });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ method: 'POST', url: chatPath, size: JSON.stringify({ content: 'x'.repeat(50_000) }).length });
  });

  it('answers 408 and closes when a body does not arrive within GATEWAY_BODY_TIMEOUT_MS', async () => {
    const before = seen.length;
    const t = await trickle(strict.url, 100);
    await t.ended;
    expect(t.answer()).toMatch(/^HTTP\/1\.1 408 /);
    expect(t.answer()).toContain('"code":"timeout"');
    expect(seen.slice(before).filter((s) => s.url === chatPath && s.method === 'POST')).toEqual([]);
  });
});

describe('requests in flight per address', () => {
  it('answers 429 with Retry-After past GATEWAY_MAX_REQUESTS_PER_ADDRESS, and again 200 once they finish', async () => {
    const first = Array.from({ length: 4 }, () => holdRequest(strict.url));
    await waitForHeld(4);
    const over = await api(strict.url, 'GET', '/api/v1/chats', { unchecked: standIn });
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ code: 'too_many_requests' });
    expect(over.headers.get('retry-after')).toBe('1');
    // Another gateway's clients (and the uncapped gateway) are not affected.
    expect((await api(plain.url, 'GET', '/api/v1/chats', { unchecked: standIn })).status).toBe(200);
    releaseHeld();
    expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect((await api(strict.url, 'GET', '/api/v1/chats', { unchecked: standIn })).status).toBe(200);
  });

  it('gives the slot back when the client goes away', async () => {
    const trickles = await Promise.all(Array.from({ length: 4 }, () => trickle(strict.url, 50, 10_000)));
    await sleep(100);
    expect((await api(strict.url, 'GET', '/api/v1/chats', { unchecked: standIn })).status).toBe(429);
    for (const t of trickles) t.close();
    await sleep(100);
    expect((await api(strict.url, 'GET', '/api/v1/chats', { unchecked: standIn })).status).toBe(200);
  });

  it('counts an IPv6 client by its /64, an IPv4 client by its address', async () => {
    const within = ['2001:db8:1:2::a', '2001:db8:1:2::b', '2001:db8:1:2:ffff::1', '2001:0db8:0001:0002::c'];
    const first = within.map((ip) => holdRequest(strict.url, { 'x-forwarded-for': ip }));
    await waitForHeld(4);
    expect((await api(strict.url, 'GET', '/api/v1/chats', { headers: { 'x-forwarded-for': '2001:db8:1:2::99' }, unchecked: standIn })).status).toBe(429);
    expect((await api(strict.url, 'GET', '/api/v1/chats', { headers: { 'x-forwarded-for': '2001:db8:1:3::1' }, unchecked: standIn })).status).toBe(200);
    expect((await api(strict.url, 'GET', '/api/v1/chats', { headers: { 'x-forwarded-for': '198.51.100.1' }, unchecked: standIn })).status).toBe(200);
    releaseHeld();
    await Promise.all(first);
  });
});

async function waitForHeld(n: number) {
  for (let i = 0; i < 500 && held.length < n; i++) await sleep(10);
  expect(held.length).toBe(n);
}

describe('X-Forwarded-For', () => {
  const forwardedFor = async (base: string, headers: Record<string, string>) => (await api(base, 'GET', '/api/v1/chats', { headers, unchecked: standIn })).body.forwardedFor;

  it('replaces what a client that is not a trusted proxy wrote with its own address', async () => {
    expect(await forwardedFor(plain.url, { 'x-forwarded-for': '203.0.113.5' })).toBe('127.0.0.1');
    expect(await forwardedFor(plain.url, { 'x-forwarded-for': '203.0.113.5, 10.0.0.1' })).toBe('127.0.0.1');
    expect(await forwardedFor(plain.url, {})).toBe('127.0.0.1');
  });

  it('takes the right-most untrusted hop behind trusted proxies, normalised, and sends only that', async () => {
    expect(await forwardedFor(strict.url, { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.1.2.3' })).toBe('203.0.113.9');
    expect(await forwardedFor(strict.url, { 'x-forwarded-for': '2001:DB8:0:0:0:0:0:1' })).toBe('2001:db8::1');
    expect(await forwardedFor(strict.url, { 'x-forwarded-for': '::ffff:203.0.113.4' })).toBe('203.0.113.4');
    expect(await forwardedFor(strict.url, { 'x-forwarded-for': '203.0.113.9, not-an-address' })).toBe('127.0.0.1');
    expect(await forwardedFor(strict.url, {})).toBe('127.0.0.1');
  });
});

describe('HOST', () => {
  it('binds the public listener to HOST only', async () => {
    const gw = await startGateway(scope, { AUTH_URL: upstreamUrl, MESSAGES_URL: upstreamUrl, ROULETTE_URL: upstreamUrl, HOST: '127.0.0.2' });
    try {
      expect((await api(`http://127.0.0.2:${gw.port}`, 'GET', '/healthz')).status).toBe(200);
      const elsewhere = await api(`http://127.0.0.1:${gw.port}`, 'GET', '/healthz', { orStatus0: true, timeoutMs: 2000 });
      expect(elsewhere.status).toBe(0);
    } finally {
      await gw.stop();
    }
  });
});
