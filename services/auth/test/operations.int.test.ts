import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@chatroulette/logger';
import {
  api,
  logLines,
  pollUntil,
  readyBody,
  expectReadinessThroughOutages,
  registerUser,
  scrapeMetrics,
  startOwnNats,
  startOwnPostgres,
  startStack,
  testScope,
  uniqueName,
  type OwnNats,
  type OwnPostgres,
  type Stack,
} from '@chatroulette/testing';

// On a PostgreSQL and a NATS of this file's own, so they can go away and come back.
const scope = testScope('auth-ops');
const log = logLines();
let pg: OwnPostgres;
let nats: OwnNats;
let stack: Stack;
let base: string;

beforeAll(async () => {
  [pg, nats] = await Promise.all([startOwnPostgres(), startOwnNats()]);
  stack = await startStack({
    infra: { ...scope, databaseUrl: pg.url, natsUrl: nats.url },
    instances: [{ service: 'auth', options: { log: createLogger('auth', 'info', log.stream) } }],
  });
  base = stack.get('auth').url;
});
afterAll(async () => {
  await stack?.destroy();
  await Promise.all([pg?.stop(), nats?.stop()]);
});

const readyz = () => api(base, 'GET', '/readyz');

describe('operations of the auth service', () => {
  it('/readyz answers 200 with its database and NATS checks', async () => {
    const res = await readyz();
    expect(res.status).toBe(200);
    expect(res.body).toEqual(readyBody());
  });

  it('counts requests by route pattern and status in the HTTP histogram, with the process metrics beside', async () => {
    const before = await scrapeMetrics(base);
    const u = await registerUser(base);
    await registerUser(base);
    expect((await api(base, 'GET', `/api/v1/users/${u.id}/profile`, { token: u.token })).status).toBe(200);
    expect((await api(base, 'GET', '/api/v1/auth/profile')).status).toBe(401);
    const after = await scrapeMetrics(base);
    const moved = (labels: Record<string, string>) =>
      after.value('chatroulette_http_request_duration_seconds_count', labels) - before.value('chatroulette_http_request_duration_seconds_count', labels);
    expect(moved({ service: 'auth', route: '/api/v1/auth/register', method: 'POST', status: '201' })).toBe(2);
    expect(moved({ route: '/api/v1/users/:user_id/profile', method: 'GET', status: '200' })).toBe(1);
    expect(moved({ route: '/api/v1/auth/profile', method: 'GET', status: '401' })).toBe(1);
    expect(after.text).not.toContain(u.id);
    expect(after.value('chatroulette_nodejs_heap_size_used_bytes', { service: 'auth' })).toBeGreaterThan(0);
  });

  it('answers an error with request_id equal to the x-request-id sent, and logs one access line for it, without the password', async () => {
    const id = 'edge.7f3a:login-1';
    const password = 'not-the-password-123';
    const res = await api(base, 'POST', '/api/v1/auth/login', { body: { username: uniqueName('ghost'), password }, headers: { 'x-request-id': id } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: expect.any(String), code: 'unauthorized', request_id: id });
    const lines = await pollUntil(async () => log.requestLines(id), (l) => l.length > 0);
    expect(lines).toEqual([
      expect.objectContaining({ name: 'auth', method: 'POST', route: '/api/v1/auth/login', status: 401, error_code: 'unauthorized', duration_ms: expect.any(Number) }),
    ]);
    expect(JSON.stringify(log.lines)).not.toContain(password);
  });

  it('/readyz 503 naming nats while NATS is gone, naming database while PostgreSQL is gone, 200 after each comes back', async () => {
    await expectReadinessThroughOutages(readyz, { nats, pg });
    expect((await registerUser(base)).token).toEqual(expect.any(String));
  });
});
