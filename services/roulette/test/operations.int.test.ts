import { randomUUID } from 'node:crypto';
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
  sleep,
  startOwnNats,
  startOwnPostgres,
  startStack,
  testScope,
  type Metrics,
  type OwnNats,
  type OwnPostgres,
  type Stack,
  type TestUser,
} from '@chatroulette/testing';
import { fastJobs } from './fast-jobs.js';

// On a PostgreSQL and a NATS of this file's own, so they can go away and come back.
const scope = testScope('roulette-ops');
const log = logLines();
let pg: OwnPostgres;
let nats: OwnNats;
let stack: Stack;
let auth: string;
let roulette: string;

beforeAll(async () => {
  [pg, nats] = await Promise.all([startOwnPostgres(), startOwnNats()]);
  stack = await startStack({
    infra: { ...scope, databaseUrl: pg.url, natsUrl: nats.url },
    // A searcher with interests takes anyone after 300 ms: the matcher job pairs them then.
    env: { roulette: { ...fastJobs, ROULETTE_INTEREST_WAIT_MS: '300' } },
    instances: ['auth', 'messages', { service: 'roulette', options: { log: createLogger('roulette', 'info', log.stream) } }],
  });
  [auth, roulette] = [stack.get('auth').url, stack.get('roulette').url];
});
afterAll(async () => {
  await stack?.destroy();
  await Promise.all([pg?.stop(), nats?.stop()]);
});

const R = '/api/v1/chatroulette';
const search = (u: TestUser, interests: string[] = []) => api(roulette, 'POST', `${R}/search`, { token: u.token, body: { interests } });
const readyz = () => api(roulette, 'GET', '/readyz');
const users = () => Promise.all([registerUser(auth), registerUser(auth)]);
const moved = (before: Metrics, after: Metrics, name: string, labels?: Record<string, string>) => after.value(name, labels) - before.value(name, labels);

describe('operations of the roulette service', () => {
  it('/readyz answers 200 with its database and NATS checks', async () => {
    const res = await readyz();
    expect(res.status).toBe(200);
    expect(res.body).toEqual(readyBody());
  });

  it('a search that finds a waiting user: the queue gauge, matches_total, the wait of both, the search route and the match events published', async () => {
    const [a, b] = await users();
    const before = await scrapeMetrics(roulette);
    expect((await search(a)).status).toBe(202);
    expect((await scrapeMetrics(roulette)).value('chatroulette_roulette_queue_size', { service: 'roulette' })).toBe(1);
    await sleep(250);
    expect((await search(b)).status).toBe(200);

    const after = await pollUntil(
      () => scrapeMetrics(roulette),
      (m) => moved(before, m, 'chatroulette_jetstream_publish_duration_seconds_count', { result: 'ok' }) >= 2,
    );
    expect(after.value('chatroulette_roulette_queue_size')).toBe(0);
    expect(moved(before, after, 'chatroulette_roulette_matches_total', { service: 'roulette' })).toBe(1);
    // a waited about 250 ms in the queue; b's search found a at once (0).
    expect(moved(before, after, 'chatroulette_roulette_queue_wait_seconds_count')).toBe(2);
    expect(moved(before, after, 'chatroulette_roulette_queue_wait_seconds_sum')).toBeGreaterThanOrEqual(0.25);
    expect(moved(before, after, 'chatroulette_roulette_queue_wait_seconds_bucket', { le: '0.1' })).toBe(1);
    const searchRoute = { route: `${R}/search`, method: 'POST' };
    expect(moved(before, after, 'chatroulette_http_request_duration_seconds_count', { ...searchRoute, status: '202' })).toBe(1);
    expect(moved(before, after, 'chatroulette_http_request_duration_seconds_count', { ...searchRoute, status: '200' })).toBe(1);
    expect(moved(before, after, 'chatroulette_jetstream_publish_duration_seconds_count', { result: 'ok' })).toBe(2);
    expect((await pollUntil(() => scrapeMetrics(roulette), (m) => m.value('chatroulette_outbox_pending_events') === 0)).value('chatroulette_outbox_pending_events')).toBe(0);
  });

  it('two searchers the matcher job pairs: one match, both waits observed', async () => {
    const [a, b] = await users();
    const before = await scrapeMetrics(roulette);
    expect((await search(a, ['chess'])).status).toBe(202);
    expect((await search(b, ['opera'])).status).toBe(202);
    expect((await scrapeMetrics(roulette)).value('chatroulette_roulette_queue_size')).toBe(2);
    const after = await pollUntil(() => scrapeMetrics(roulette), (m) => moved(before, m, 'chatroulette_roulette_matches_total') >= 1, 10_000);
    expect(moved(before, after, 'chatroulette_roulette_matches_total')).toBe(1);
    expect(moved(before, after, 'chatroulette_roulette_queue_wait_seconds_count')).toBe(2);
    expect(moved(before, after, 'chatroulette_roulette_queue_wait_seconds_sum')).toBeGreaterThanOrEqual(0.6);
    expect(after.value('chatroulette_roulette_queue_size')).toBe(0);
  });

  it('answers an error with request_id equal to the x-request-id sent, and logs one access line for it', async () => {
    const [a] = await users();
    const id = `ops-${randomUUID()}`;
    const res = await api(roulette, 'POST', `${R}/${randomUUID()}/skip`, { token: a.token, headers: { 'x-request-id': id } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body).toEqual({ error: expect.any(String), code: expect.any(String), request_id: id });
    const lines = await pollUntil(async () => log.requestLines(id), (l) => l.length > 0);
    expect(lines).toEqual([
      expect.objectContaining({ name: 'roulette', method: 'POST', route: `${R}/:chat_id/skip`, status: res.status, error_code: res.body.code }),
    ]);
  });

  it('/readyz 503 naming nats while NATS is gone, naming database while PostgreSQL is gone, 200 after each comes back', async () => {
    await expectReadinessThroughOutages(readyz, { nats, pg }, {
      whileDatabaseDown: async () => expect((await scrapeMetrics(roulette)).value('chatroulette_roulette_queue_size')).toBeNaN(),
    });
  });
});
