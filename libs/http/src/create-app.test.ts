import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badRequest, unauthorized } from '@chatroulette/errors';
import { createLogger } from '@chatroulette/logger';
import { createServiceMetrics } from '@chatroulette/metrics';
import { createApp } from './create-app.js';
import { listen, type HttpServer } from './listen.js';

/** The log lines an app writes, parsed. */
function captureLog() {
  const lines: Record<string, any>[] = [];
  const log = createLogger('kit', 'debug', { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines, requests: () => lines.filter((l) => l.msg === 'request') };
}

let ready = true;
const captured = captureLog();
const metrics = createServiceMetrics('kit');
let server: HttpServer;
let base: string;

beforeAll(async () => {
  const app = createApp(
    {
      log: captured.log,
      metrics,
      readiness: {
        database: async () => undefined,
        nats: async () => {
          if (!ready) throw new Error('disconnected from NATS');
        },
        slow: () => new Promise((r) => setTimeout(r, ready ? 0 : 5000)),
      },
    },
    (a) => {
      const things = Router();
      // A router-level check, as messages' requireAuth: it refuses before any route matched.
      things.use((req, _res, next) => (req.headers.authorization ? next() : next(unauthorized())));
      things.get('/:thing_id', (req, res) => void res.json({ id: req.params.thing_id }));
      things.post('/:thing_id/fail', () => {
        throw badRequest('Invalid thing');
      });
      a.use('/api/v1/things', things);
      a.get('/boom', () => {
        throw new Error('a bug');
      });
    },
  );
  server = await listen(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server?.close());

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${base}${path}`, { method, headers });

/** The count of the HTTP histogram for one label set, from the exposition text. */
async function requestCount(labels: string): Promise<number> {
  const text = await metrics.scrape();
  const line = text.split('\n').find((l) => l.startsWith('chatroulette_http_request_duration_seconds_count{') && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('request ids and access lines', () => {
  it('answers an error with the x-request-id sent as request_id, echoes the header, and logs one line with it', async () => {
    const res = await get('/api/v1/things/42/fail', { authorization: 'x', 'x-request-id': 'edge-1234.abc:9' }, 'POST');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'Invalid thing', code: 'bad_request', request_id: 'edge-1234.abc:9' });
    expect(res.headers.get('x-request-id')).toBe('edge-1234.abc:9');
    await expect.poll(() => captured.requests().filter((l) => l.request_id === 'edge-1234.abc:9')).toHaveLength(1);
    const line = captured.requests().find((l) => l.request_id === 'edge-1234.abc:9')!;
    expect(line).toMatchObject({
      level: 30,
      method: 'POST',
      route: '/api/v1/things/:thing_id/fail',
      path: '/api/v1/things/42/fail',
      status: 400,
      error_code: 'bad_request',
      duration_ms: expect.any(Number),
    });
    expect(JSON.stringify(line)).not.toContain('authorization');
  });

  it('replaces an id that is too long or has other characters, and makes one when none is sent', async () => {
    for (const given of ['x'.repeat(129), 'has space', 'semi;colon', undefined]) {
      const res = await get('/api/v1/things/1', given === undefined ? {} : { 'x-request-id': given });
      const body = (await res.json()) as { request_id: string };
      expect(body.request_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get('x-request-id')).toBe(body.request_id);
    }
  });

  it('logs a bug at error level with its request id, and answers 500 without details', async () => {
    const res = await get('/boom', { 'x-request-id': 'bug-1' });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'Internal server error', code: 'internal', request_id: 'bug-1' });
    await expect.poll(() => captured.lines.filter((l) => l.request_id === 'bug-1').map((l) => [l.msg, l.level])).toEqual([
      ['request failed', 50],
      ['request', 50],
    ]);
  });
});

describe('the HTTP histogram', () => {
  it('labels by route pattern (also for a refusal before the route ran), never the raw path; unmatched paths as one label', async () => {
    const matched = 'route="/api/v1/things/:thing_id",method="GET",status="200"';
    const refused = 'route="/api/v1/things/:thing_id",method="GET",status="401"';
    const unmatched = 'route="unmatched",method="GET",status="404"';
    const before = await Promise.all([matched, refused, unmatched].map(requestCount));
    await get('/api/v1/things/a', { authorization: 'x' });
    await get('/api/v1/things/b', { authorization: 'x' });
    await get('/api/v1/things/c');
    await get('/nowhere/1');
    await get('/nowhere/2');
    expect(await requestCount(matched)).toBe(before[0]! + 2);
    expect(await requestCount(refused)).toBe(before[1]! + 1);
    expect(await requestCount(unmatched)).toBe(before[2]! + 2);
    const text = await metrics.scrape();
    expect(text).not.toContain('/api/v1/things/a');
    expect(text).not.toContain('/nowhere');
    expect(text).toContain('service="kit"');
  });

  it('serves /metrics as Prometheus text, with the process metrics under the prefix', async () => {
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE chatroulette_http_request_duration_seconds histogram');
    expect(text).toMatch(/^chatroulette_process_cpu_user_seconds_total\{service="kit"\} /m);
    expect(text).toMatch(/^chatroulette_nodejs_eventloop_lag_seconds\{service="kit"\} /m);
  });
});

describe('/readyz', () => {
  it('answers 200 with every check when all answer, 503 naming the one that failed or timed out', async () => {
    ready = true;
    const ok = await get('/readyz');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      status: 'ok',
      checks: {
        database: { status: 'ok', duration_ms: expect.any(Number) },
        nats: { status: 'ok', duration_ms: expect.any(Number) },
        slow: { status: 'ok', duration_ms: expect.any(Number) },
      },
    });
    ready = false;
    const t0 = Date.now();
    const down = await get('/readyz');
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(down.status).toBe(503);
    const body = (await down.json()) as Record<string, any>;
    expect(body).toMatchObject({ status: 'unavailable', code: 'unavailable', error: 'Not ready: nats, slow' });
    expect(body.checks.database.status).toBe('ok');
    expect(body.checks.nats).toMatchObject({ status: 'failed', error: 'disconnected from NATS' });
    expect(body.checks.slow).toMatchObject({ status: 'failed', error: 'no answer in 1000 ms' });
    ready = true;
  });
});
