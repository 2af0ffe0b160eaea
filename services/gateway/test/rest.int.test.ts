import { createServer, request as httpRequest, type Server } from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limits } from '@chatroulette/contracts';
import { api, refusedUpgrade, registerUser, startStack, testScope, uniqueName, type Instance, type Stack } from '@chatroulette/testing';
import { uwsBuild } from '../src/service.js';
import { startGatewayWithStats } from './helpers.js';

const scope = testScope('gateway-rest');
/** Auth only. */
let stack: Stack;
/** Its counters are read. */
let gw: Awaited<ReturnType<typeof startGatewayWithStats>>;
let slow: Server;
let slowUrl: string;
let echo: Server;
let echoUrl: string;
let deadUrl: string;

/** A port nobody listens on: bound, then closed. */
async function deadPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function listenLocal(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth'] });
  // A fake upstream that answers after the gateway's timeout.
  slow = createServer((_req, res) => {
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 1500);
  });
  slowUrl = await listenLocal(slow);
  // A fake upstream that echoes what the gateway sent it (method, url, headers, body length).
  echo = createServer((req, res) => {
    let size = 0;
    req.on('data', (c: Buffer) => (size += c.length));
    req.on('end', () => {
      const body = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, size });
      res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive', 'x-upstream': 'echo' }).end(body);
    });
  });
  echoUrl = await listenLocal(echo);
  deadUrl = `http://127.0.0.1:${await deadPort()}`;
  gw = await startGatewayWithStats(stack, scope, {
    AUTH_URL: `${deadUrl},${stack.get('auth').url}`,
    MESSAGES_URL: deadUrl,
    ROULETTE_URL: slowUrl,
    UPSTREAM_TIMEOUT_MS: '500',
  });
});

afterAll(async () => {
  await gw?.stop();
  await stack?.destroy();
  slow?.closeAllConnections();
  slow?.close();
  echo?.closeAllConnections();
  echo?.close();
});

describe('gateway REST', () => {
  it('runs the native uWebSockets.js build', () => {
    expect(uwsBuild.uws).toBe('native');
  });

  it('answers /healthz', async () => {
    const res = await api(gw.url, 'GET', '/healthz');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('routes register, login and profile to auth, skipping an upstream that refuses connections', async () => {
    const username = uniqueName();
    const reg = await api(gw.url, 'POST', '/api/v1/auth/register', { body: { username, password: 'correct horse battery' } });
    expect(reg.status).toBe(201);
    expect(reg.body.user.username).toBe(username);
    const login = await api(gw.url, 'POST', '/api/v1/auth/login', { body: { username, password: 'correct horse battery' } });
    expect(login.status).toBe(200);
    const profile = await api(gw.url, 'GET', '/api/v1/auth/profile', { token: login.body.token });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ id: reg.body.user.id, username });
    const other = await api(gw.url, 'GET', `/api/v1/users/${reg.body.user.id}/profile`, { token: login.body.token });
    expect(other).toMatchObject({ status: 200, body: { username } });
    const noToken = await api(gw.url, 'GET', '/api/v1/auth/profile');
    expect(noToken.status).toBe(401);
    expect(noToken.body.error).toEqual(expect.any(String));
  });

  it('passes upstream errors through unchanged', async () => {
    const bad = await api(gw.url, 'POST', '/api/v1/auth/login', { raw: '{nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual(expect.any(String));
  });

  it('answers 502 JSON when the upstream is down', async () => {
    const user = await registerUser(gw.url);
    const res = await api(gw.url, 'GET', '/api/v1/chats', { token: user.token });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ error: expect.any(String), code: 'bad_gateway' });
  });

  it('answers 504 JSON when the upstream is slower than the timeout', async () => {
    const started = Date.now();
    const res = await api(gw.url, 'GET', '/api/v1/chatroulette/status');
    expect(res.status).toBe(504);
    expect(res.body).toMatchObject({ error: expect.any(String), code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it('answers 413 JSON for a body over the limit, declared or chunked', async () => {
    const big = 'x'.repeat(limits.maxBodyBytes + 10);
    const declared = await api(gw.url, 'POST', '/api/v1/auth/register', { raw: big });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ code: 'payload_too_large' });

    // A chunked body has no Content-Length: the gateway counts while it streams.
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(8 * 1024)));
        controller.close();
      },
    });
    const res = await fetch(`${gw.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('refuses a socket with chat_id with 503 while the messages service is down (none runs in this file)', async () => {
    const user = await registerUser(gw.url);
    const res = await refusedUpgrade(gw.url, { token: user.token, chat_id: '3f2b8c2e-1d4a-4c1e-9a61-2f5d7c9b0a11' });
    expect(res.status).toBe(503);
    expect(res.body.error).toEqual(expect.any(String));
    expect(gw.service.stats()).toMatchObject({ chats: 0, users: 0 });
  });

  it('answers 426 to a plain request on the socket path', async () => {
    const res = await api(gw.url, 'GET', '/api/v1/ws');
    expect(res.status).toBe(426);
    expect(res.body.error).toEqual(expect.any(String));
  });

  it('answers 404 JSON for an unknown route', async () => {
    for (const path of ['/api/v1/nothing', '/nope']) {
      const res = await api(gw.url, 'GET', path);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: expect.any(String), code: 'not_found' });
    }
  });
});

describe('gateway REST forwarding details', () => {
  let echoGw: Instance;
  beforeAll(async () => {
    echoGw = await stack.start({ service: 'gateway', env: { AUTH_URL: echoUrl, MESSAGES_URL: ',', ROULETTE_URL: echoUrl } });
  });
  afterAll(async () => {
    await echoGw?.stop();
  });

  it('passes method, path, query, end-to-end headers and a body sent in pieces; drops hop-by-hop headers', async () => {
    const body = 'z'.repeat(50_000);
    // node:http, since fetch refuses to send hop-by-hop headers at all.
    const { status, upstreamHeader, seen } = await new Promise<{ status: number; upstreamHeader: unknown; seen: any }>((resolve, reject) => {
      const req = httpRequest(
        `${echoGw.url}/api/v1/chatroulette/search?a=1&b=two`,
        {
          method: 'POST',
          headers: {
            authorization: 'Bearer abc',
            'content-type': 'text/plain',
            'x-custom': 'yes',
            'keep-alive': 'timeout=5',
            connection: 'keep-alive, x-hop',
            'x-hop': '1',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, upstreamHeader: res.headers['x-upstream'], seen: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      // Two writes, so the body arrives in pieces.
      req.write(body.slice(0, 20_000));
      setTimeout(() => req.end(body.slice(20_000)), 50);
    });
    expect(status).toBe(200);
    expect(upstreamHeader).toBe('echo');
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/api/v1/chatroulette/search?a=1&b=two');
    expect(seen.size).toBe(50_000);
    expect(seen.headers.authorization).toBe('Bearer abc');
    expect(seen.headers['content-type']).toBe('text/plain');
    expect(seen.headers['x-custom']).toBe('yes');
    expect(seen.headers['keep-alive']).toBeUndefined();
    expect(seen.headers['x-hop']).toBeUndefined();
    // Buffered whole at the gateway (src/rest/body-policy.ts), so sent with its length.
    expect(seen.headers['transfer-encoding']).toBeUndefined();
    expect(seen.headers['content-length']).toBe('50000');
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('answers 503 when no upstream is configured', async () => {
    const res = await api(echoGw.url, 'GET', '/api/v1/chats');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'unavailable' });
  });
});
