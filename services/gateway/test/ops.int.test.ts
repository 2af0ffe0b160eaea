import { createServer, type Server } from 'node:http';
import net from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createChat, openSocket, refusedUpgrade, registerUser, startStack, testScope, waitUntil, type Stack, type TestUser } from '@chatroulette/testing';
import { metricValue as sample, startGatewayWithStats } from './helpers.js';
import { upstreamProbePath } from '../src/ops/readiness.js';

const scope = testScope('gateway-ops');
/** Auth, messages and roulette. */
let stack: Stack;
/** Every upstream live. */
let gw: Awaited<ReturnType<typeof startGatewayWithStats>>;
/** Its roulette upstream is a closed port. */
let noRoulette: Awaited<ReturnType<typeof startGatewayWithStats>>;
/** Its auth upstream echoes what it was sent. */
let echoGw: Awaited<ReturnType<typeof startGatewayWithStats>>;
let echo: Server;
/** Probes of the echo upstream's readiness (upstreamProbePath). */
let echoProbes = 0;
let user: TestUser;
/** What `noRoulette` logged, at debug. */
const logged: Record<string, unknown>[] = [];

async function deadUrl(): Promise<string> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages', 'roulette', 'media'] });
  echo = createServer((req, res) => {
    if (req.url === upstreamProbePath) echoProbes++;
    const body = JSON.stringify({ headers: req.headers });
    // An upstream with an x-request-id of its own: the gateway answers with one, the request's.
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'upstream-own' }).end(body);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  const echoUrl = `http://127.0.0.1:${(echo.address() as net.AddressInfo).port}`;
  [gw, noRoulette, echoGw] = await Promise.all([
    startGatewayWithStats(stack, scope, { ROULETTE_URL: stack.get('roulette').url }),
    startGatewayWithStats(stack, scope, { ROULETTE_URL: await deadUrl() }, {
      log: pino({ level: 'debug' }, { write: (line: string) => void logged.push(JSON.parse(line)) }),
    }),
    startGatewayWithStats(stack, scope, { AUTH_URL: echoUrl, ROULETTE_URL: stack.get('roulette').url }),
  ]);
  user = await registerUser(gw.url);
});

afterAll(async () => {
  await Promise.all([gw?.stop(), noRoulette?.stop(), echoGw?.stop()]);
  await stack?.destroy();
  echo?.closeAllConnections();
  echo?.close();
});

describe('gateway /readyz', () => {
  it('is 200 with every check when NATS and an instance of each service answer', async () => {
    const res = await api(gw.url, 'GET', '/readyz');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok', checks: { nats: 'ok', auth: 'ok', messages: 'ok', roulette: 'ok', media: 'ok' } } });
  });

  it('is 503 naming roulette when no roulette instance answers', async () => {
    const res = await api(noRoulette.url, 'GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks).toEqual({ nats: 'ok', auth: 'ok', messages: 'ok', roulette: 'fail', media: 'ok' });
    expect(res.body.error).toContain('roulette');
  });

  it('asks the upstreams at most once a second, however often it is asked', async () => {
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await api(echoGw.url, 'GET', '/readyz'));
    expect(answers.map((a) => a.body.checks.auth)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(echoProbes).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    await api(echoGw.url, 'GET', '/readyz');
    expect(echoProbes).toBe(2);
  });
});

describe('gateway metrics', () => {
  it('are served on METRICS_PORT and never on the public port', async () => {
    expect(gw.service.metricsPort).not.toBe(gw.port);
    const scrape = await fetch(gw.metricsUrl);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(text).toContain('chatroulette_process_cpu_user_seconds_total');
    expect(text).toContain('# TYPE chatroulette_http_request_duration_seconds histogram');
    for (const path of ['/metrics', '/metrics/']) {
      const res = await api(gw.url, 'GET', path);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('chatroulette_');
    }
  });

  it('count sockets up and down', async () => {
    const before = await sample(gw.metricsUrl, 'chatroulette_ws_connections');
    const accepted = await sample(gw.metricsUrl, 'chatroulette_ws_upgrades_total', { result: 'accepted' });
    const sockets = await Promise.all([openSocket(gw.url, { token: user.token }), openSocket(gw.url, { token: user.token })]);
    expect(await sample(gw.metricsUrl, 'chatroulette_ws_connections')).toBe(before + 2);
    expect(await sample(gw.metricsUrl, 'chatroulette_ws_upgrades_total', { result: 'accepted', status: '101' })).toBe(accepted + 2);
    await Promise.all(sockets.map((s) => s.closeAndWait()));
    await waitUntil(async () => ((await sample(gw.metricsUrl, 'chatroulette_ws_connections')) === before ? true : undefined), { what: 'ws_connections back down', timeoutMs: 3000 });
  });

  it('count refused upgrades by status', async () => {
    const count = (status: string) => sample(gw.metricsUrl, 'chatroulette_ws_upgrades_total', { result: 'refused', status });
    const [no401, no400] = [await count('401'), await count('400')];
    expect((await refusedUpgrade(gw.url, {})).status).toBe(401);
    expect((await refusedUpgrade(gw.url, { token: user.token, chat_id: 'not-a-uuid' })).status).toBe(400);
    expect(await count('401')).toBe(no401 + 1);
    expect(await count('400')).toBe(no400 + 1);
  });

  it('time proxied requests by upstream and route pattern, never the raw path', async () => {
    const labels = { service: 'gateway', route: 'auth /api/v1/users/:id/profile', method: 'GET', status: '200' };
    const before = await sample(gw.metricsUrl, 'chatroulette_http_request_duration_seconds_count', labels);
    for (let i = 0; i < 3; i++) {
      expect((await api(gw.url, 'GET', `/api/v1/users/${user.id}/profile`, { token: user.token })).status).toBe(200);
    }
    expect(await sample(gw.metricsUrl, 'chatroulette_http_request_duration_seconds_count', labels)).toBe(before + 3);
    const other = { route: 'auth other', status: '404' };
    const otherBefore = await sample(gw.metricsUrl, 'chatroulette_http_request_duration_seconds_count', other);
    await api(gw.url, 'GET', '/api/v1/auth/made-up-by-a-client-1234');
    expect(await sample(gw.metricsUrl, 'chatroulette_http_request_duration_seconds_count', other)).toBe(otherBefore + 1);
    const text = await (await fetch(gw.metricsUrl)).text();
    expect(text).not.toContain(user.id);
    expect(text).not.toContain('made-up-by-a-client');
  });

  it('count since replays and published frames', async () => {
    const other = await registerUser(gw.url);
    const chatId = await createChat(gw.url, user, [other]);
    const sent = await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: user.token, body: { type: 'text', content: 'hi' } });
    expect(sent.status).toBe(201);
    const recovered = await sample(gw.metricsUrl, 'chatroulette_ws_since_replays_total', { result: 'recovered' });
    const c = await openSocket(gw.url, { token: other.token, chat_id: chatId, since: 0 });
    expect(await c.next((f) => f.type === 'recovery')).toMatchObject({ payload: { recovered: true } });
    expect(await sample(gw.metricsUrl, 'chatroulette_ws_since_replays_total', { result: 'recovered' })).toBe(recovered + 1);
    // A live event is one frame published to the chat's topic.
    const frames = await sample(gw.metricsUrl, 'chatroulette_ws_frames_published_total');
    const live = await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: user.token, body: { type: 'text', content: 'live' } });
    await c.next((f) => f.payload?.id === live.body.id);
    expect(await sample(gw.metricsUrl, 'chatroulette_ws_frames_published_total')).toBeGreaterThan(frames);
    await c.closeAndWait();
  });
});

describe('gateway x-request-id', () => {
  it('keeps a sane client id, forwards it upstream and returns it once', async () => {
    const res = await api(echoGw.url, 'GET', '/api/v1/auth/profile', { headers: { 'x-request-id': 'client-id_1.2:3' }, unchecked: 'the echo upstream answers' });
    expect(res.status).toBe(200);
    expect(res.body.headers['x-request-id']).toBe('client-id_1.2:3');
    expect(res.headers.get('x-request-id')).toBe('client-id_1.2:3');
  });

  it('replaces an insane one (and makes one when none is sent)', async () => {
    for (const given of ['has spaces in it', 'x'.repeat(129), undefined]) {
      const res = await api(echoGw.url, 'GET', '/api/v1/auth/profile', { headers: given === undefined ? {} : { 'x-request-id': given }, unchecked: 'the echo upstream answers' });
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(id).not.toBe(given);
      expect(res.body.headers['x-request-id']).toBe(id);
    }
  });

  it('is on the gateway\'s own error answers, in the header and the body', async () => {
    const notFound = await api(gw.url, 'GET', '/api/v1/nothing', { headers: { 'x-request-id': 'nf-1' } });
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('x-request-id')).toBe('nf-1');
    expect(notFound.body).toMatchObject({ code: 'not_found', request_id: 'nf-1' });
    const down = await api(noRoulette.url, 'GET', '/api/v1/chatroulette/status', { token: user.token, headers: { 'x-request-id': 'bg-1' } });
    expect(down.status).toBe(502);
    expect(down.headers.get('x-request-id')).toBe('bg-1');
    expect(down.body).toMatchObject({ code: 'bad_gateway', request_id: 'bg-1' });
    expect(logged.find((l) => l.msg === 'upstream failed' && l.request_id === 'bg-1')).toMatchObject({ status: 502, upstream: 'roulette' });
  });

  it('comes back from a real service too', async () => {
    const res = await api(gw.url, 'GET', '/api/v1/auth/profile', { token: user.token, headers: { 'x-request-id': 'real-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('real-1');
  });
});

describe('gateway socket log lines', () => {
  it('carry the socket\'s id', async () => {
    expect((await refusedUpgrade(noRoulette.url, {})).status).toBe(401);
    const refused = logged.filter((l) => l.msg === 'socket upgrade refused: no token');
    expect(refused.at(-1)?.socketId).toEqual(expect.any(Number));
    const socket = await openSocket(noRoulette.url, { token: user.token });
    socket.send('not json');
    await socket.next((f) => f.type === 'error');
    await socket.closeAndWait();
    await waitUntil(async () => (logged.some((l) => l.msg === 'socket closed') ? true : undefined), { what: 'the close logged', timeoutMs: 3000 });
    const frameError = logged.find((l) => l.msg === 'socket frame refused');
    const opened = logged.find((l) => l.msg === 'socket open');
    const closed = logged.find((l) => l.msg === 'socket closed');
    expect(frameError?.socketId).toEqual(expect.any(Number));
    expect(opened?.socketId).toBe(frameError?.socketId);
    expect(closed?.socketId).toBe(frameError?.socketId);
    expect(frameError?.socketId).not.toBe(refused.at(-1)?.socketId);
  });
});
