import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, rawConnection, registerUser, startStack, testScope, upgradeOutcome, type Answer, type Instance, type Stack, type TestUser } from '@chatroulette/testing';
import { startGateway } from './helpers.js';

/**
 * CORS at the gateway (docs/contract.md "Browsers on other origins"): preflights answered before
 * routing and token checks, the allow-origin header on every answer (the upstreams', the gateway's own
 * errors, the probes), one ALLOWED_ORIGINS for REST and socket upgrades, the literal `null` origin.
 */
const scope = testScope('gateway-cors');
const listed = 'https://app.example.com';
const stranger = 'https://evil.example';

let stack: Stack;
/** ALLOWED_ORIGINS unset (every origin); roulette down (the stack gives it a port nothing listens on). */
let open: Instance;
/** ALLOWED_ORIGINS = https://app.example.com and null; a 1 s body timeout. */
let strict: Instance;
/** One request in flight per address, a long body timeout. */
let capped: Instance;
/** A gateway in front of a fake upstream that writes CORS headers of its own. */
let faked: Awaited<ReturnType<typeof startGateway>>;
let fakeUpstream: Server;
let alice: TestUser;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages', 'gateway'] });
  open = stack.get('gateway');
  strict = await stack.start({ service: 'gateway', env: { ALLOWED_ORIGINS: `${listed}, null`, GATEWAY_BODY_TIMEOUT_MS: '1000' } });
  capped = await stack.start({ service: 'gateway', env: { GATEWAY_MAX_REQUESTS_PER_ADDRESS: '1', GATEWAY_BODY_TIMEOUT_MS: '60000' } });
  fakeUpstream = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'access-control-allow-origin': '*',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-Secret',
    });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => fakeUpstream.listen(0, '127.0.0.1', () => r()));
  const fakeUrl = `http://127.0.0.1:${(fakeUpstream.address() as net.AddressInfo).port}`;
  faked = await startGateway(scope, { AUTH_URL: fakeUrl, MESSAGES_URL: fakeUrl, ROULETTE_URL: fakeUrl });
  alice = await registerUser(open.url);
});

afterAll(async () => {
  await faked?.stop();
  fakeUpstream?.closeAllConnections();
  fakeUpstream?.close();
  await stack?.destroy();
});

/** An OPTIONS preflight as a browser sends it. */
function preflight(base: string, path: string, origin: string, method = 'GET', requestHeaders?: string) {
  const headers: Record<string, string> = { origin, 'access-control-request-method': method };
  if (requestHeaders !== undefined) headers['access-control-request-headers'] = requestHeaders;
  return api(base, 'OPTIONS', path, { headers });
}

const list = (value: string | null) => (value ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);

/** What every answer to an allowed origin carries. */
function expectAllowed(res: Answer, origin: string, what = '') {
  expect(res.headers.get('access-control-allow-origin'), what).toBe(origin);
  expect(list(res.headers.get('vary')), what).toContain('origin');
  expect(list(res.headers.get('access-control-expose-headers')), what).toEqual(expect.arrayContaining(['retry-after', 'x-request-id']));
  expect(res.headers.get('access-control-allow-credentials'), what).toBeNull();
}

/** No Access-Control-Allow-* header at all. */
function expectNoAllowHeaders(res: Answer, what = '') {
  expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-allow')), what).toEqual([]);
}

describe('preflight', () => {
  it('answers 204 for any path, before routing and any token check, with every header a browser needs', async () => {
    // A chats route (needs a token), a route nobody owns, the socket path, a probe.
    for (const path of ['/api/v1/chats', '/api/v1/chats/3f2b8c2e-1d4a-4c1e-9a61-2f5d7c9b0a11/messages', '/api/v1/nope/at/all', '/api/v1/ws', '/healthz', '/']) {
      const res = await preflight(strict.url, path, listed, 'POST', 'authorization, content-type, x-request-id');
      expect(res.status, path).toBe(204);
      expect(res.body, path).toBeUndefined();
      expect(res.headers.get('access-control-allow-origin'), path).toBe(listed);
      expect(list(res.headers.get('vary')), path).toContain('origin');
      expect(list(res.headers.get('access-control-allow-methods')), path).toEqual(expect.arrayContaining(['get', 'post', 'put', 'patch', 'delete', 'options']));
      expect(list(res.headers.get('access-control-allow-headers')), path).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-request-id']));
      expect(Number(res.headers.get('access-control-max-age')), path).toBeGreaterThan(0);
      expect(res.headers.get('access-control-allow-credentials'), path).toBeNull();
    }
  });

  it('names Authorization and Content-Type even when not asked, echoes allowed requested headers and no others', async () => {
    const plain = await preflight(strict.url, '/api/v1/chats', listed, 'GET');
    expect(list(plain.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(['authorization', 'content-type']));
    const asked = await preflight(strict.url, '/api/v1/chats', listed, 'DELETE', 'If-None-Match, X-Evil-Internal, Range');
    const allowed = list(asked.headers.get('access-control-allow-headers'));
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'if-none-match', 'range']));
    expect(allowed).not.toContain('x-evil-internal');
  });

  it('allows the null origin of a file:// page when it is listed', async () => {
    const res = await preflight(strict.url, '/api/v1/auth/register', 'null', 'POST', 'content-type');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('null');
  });

  it('refuses an origin not in ALLOWED_ORIGINS with 403 and no Access-Control-Allow-* header', async () => {
    for (const origin of [stranger, 'http://app.example.com', 'https://app.example.com.evil.example']) {
      const res = await preflight(strict.url, '/api/v1/chats', origin, 'GET', 'authorization');
      expect(res.status, origin).toBe(403);
      expect(res.body, origin).toMatchObject({ code: 'forbidden' });
      expectNoAllowHeaders(res, origin);
    }
  });

  it('allows every origin, null included, when ALLOWED_ORIGINS is unset', async () => {
    for (const origin of [stranger, 'null', 'http://localhost:5173']) {
      const res = await preflight(open.url, '/api/v1/chats', origin, 'GET', 'authorization');
      expect(res.status, origin).toBe(204);
      expect(res.headers.get('access-control-allow-origin'), origin).toBe(origin);
    }
  });

  it('is answered before the per-address cap and the routing', async () => {
    const res = await preflight(capped.url, '/api/v1/chatroulette/search', stranger, 'POST', 'authorization, content-type');
    expect(res.status).toBe(204);
  });
});

describe('the allow-origin header on every answer to an allowed origin', () => {
  it('on an upstream answer: an authorized GET /api/v1/chats', async () => {
    const res = await api(strict.url, 'GET', '/api/v1/chats', { token: alice.token, headers: { origin: listed } });
    expect(res.status).toBe(200);
    expectAllowed(res, listed);
  });

  it('on an upstream error (401 without a token), a gateway 404, the 426 of the socket path, and the probes', async () => {
    const cases: [string, string, number][] = [
      ['GET', '/api/v1/chats', 401],
      ['GET', '/api/v1/nope', 404],
      ['GET', '/api/v1/ws', 426],
      ['GET', '/healthz', 200],
    ];
    for (const [method, path, status] of cases) {
      const res = await api(strict.url, method, path, { headers: { origin: 'null' } });
      expect(res.status, path).toBe(status);
      expectAllowed(res, 'null', path);
    }
  });

  it('on the 502 of an upstream that is down and the 503 of /readyz', async () => {
    const down = await api(open.url, 'GET', '/api/v1/chatroulette/status', { token: alice.token, headers: { origin: stranger } });
    expect(down.status).toBe(502);
    expectAllowed(down, stranger, '502');
    const ready = await api(open.url, 'GET', '/readyz', { headers: { origin: stranger } });
    expect(ready.status).toBe(503);
    expectAllowed(ready, stranger, 'readyz');
  });

  it('on the 429 of the per-address cap, whose Retry-After a page can read', async () => {
    const { held, over } = await overTheCap(capped.url, stranger);
    held.close();
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('1');
    expectAllowed(over, stranger);
  });

  it('on the 408 of a body that does not arrive in time', async () => {
    const slow = await trickle(strict.url, { origin: listed });
    await slow.ended;
    const head = slow.answer().split('\r\n\r\n')[0]!.toLowerCase();
    expect(head).toMatch(/^http\/1\.1 408 /);
    expect(head).toContain(`access-control-allow-origin: ${listed}`);
    expect(head).toContain('access-control-expose-headers: retry-after');
  });

  it('replaces the CORS headers an upstream writes with the gateway\'s own', async () => {
    const res = await api(faked.url, 'GET', '/api/v1/chats', { headers: { origin: listed }, unchecked: 'a stand-in upstream answers' });
    expect(res.status).toBe(200);
    // One value, the request's origin: not the upstream's `*` beside it.
    expect(res.headers.get('access-control-allow-origin')).toBe(listed);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(list(res.headers.get('access-control-expose-headers'))).not.toContain('x-secret');
  });

  it('refuses any request from an origin not allowed with 403, before it reaches a service', async () => {
    const res = await api(strict.url, 'POST', '/api/v1/auth/register', { body: { username: 'from_evil', password: 'correct horse battery' }, headers: { origin: stranger } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'Origin not allowed', code: 'forbidden' });
    expectNoAllowHeaders(res);
    // Not registered: the same name is still free.
    expect((await api(strict.url, 'POST', '/api/v1/auth/register', { body: { username: 'from_evil', password: 'correct horse battery' } })).status).toBe(201);
  });

  it('answers a client without Origin (not a browser) as before, with Vary: Origin for caches', async () => {
    const res = await api(strict.url, 'GET', '/api/v1/chats', { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(list(res.headers.get('vary'))).toContain('origin');
  });
});

describe('socket upgrades under the same ALLOWED_ORIGINS', () => {
  const upgrade = (base: string, origin: string) => upgradeOutcome(base, { token: alice.token }, { headers: { origin } });

  it('refuses an origin not listed with 403 and opens for a listed one and for null', async () => {
    expect(await upgrade(strict.url, stranger)).toEqual({ status: 403, body: { error: 'Origin not allowed', code: 'forbidden' } });
    expect((await upgrade(strict.url, listed)).status).toBe(101);
    expect((await upgrade(strict.url, 'null')).status).toBe(101);
  });

  it('opens for any origin when ALLOWED_ORIGINS is unset', async () => {
    expect((await upgrade(open.url, 'null')).status).toBe(101);
    expect((await upgrade(open.url, stranger)).status).toBe(101);
  });
});

/**
 * A request over the address's one slot: a trickled body holds the slot, then a GET gets the 429.
 * Which of the two connections the gateway reads first is not up to the test: when the GET came
 * first (it took the slot, so the trickle got the 429), both are done and it starts again.
 */
async function overTheCap(base: string, origin: string) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const held = await trickle(base, { origin });
    const over = await api(base, 'GET', '/api/v1/chats', { headers: { origin } });
    if (over.status === 429) return { held, over };
    held.close();
  }
  throw new Error('the held request never kept the slot');
}

/**
 * A raw connection that sends a request's head and one byte of its 64-byte body, then nothing. It
 * is accepted and used for a GET /healthz first: a fresh connection is read a loop turn or two after
 * one that is already open (as fetch's are), and the held request must be read before the next one.
 */
async function trickle(base: string, headers: Record<string, string>) {
  const conn = await rawConnection(base);
  conn.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  for (let i = 0; i < 500 && !conn.answer().includes('{"status":"ok"}'); i++) await new Promise((r) => setTimeout(r, 10));
  conn.forget();
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  conn.socket.write(`POST /api/v1/chats HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 64\r\n${extra}\r\n{`);
  return { answer: conn.answer, ended: conn.ended, close: conn.close };
}
