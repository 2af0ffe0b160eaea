import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@chatroulette/logger';
import {
  api,
  createChat,
  logLines,
  pollUntil,
  readyBody,
  registerUser,
  scrapeMetrics,
  startOwnNats,
  startOwnPostgres,
  startStack,
  testScope,
  type OwnNats,
  type OwnPostgres,
  type Stack,
  type TestUser,
} from '@chatroulette/testing';

// On a PostgreSQL and a NATS of this file's own, so they can go away and come back.
const scope = testScope('messages-ops');
const log = logLines();
let pg: OwnPostgres;
let nats: OwnNats;
let stack: Stack;
let base: string;
let alice: TestUser;
let bob: TestUser;
let chatId: string;

beforeAll(async () => {
  [pg, nats] = await Promise.all([startOwnPostgres(), startOwnNats()]);
  stack = await startStack({
    infra: { ...scope, databaseUrl: pg.url, natsUrl: nats.url },
    instances: ['auth', { service: 'messages', options: { log: createLogger('messages', 'info', log.stream) } }],
  });
  base = stack.get('messages').url;
  const auth = stack.get('auth').url;
  [alice, bob] = await Promise.all([registerUser(auth), registerUser(auth)]);
  chatId = await createChat(base, alice, [bob]);
});
afterAll(async () => {
  await stack?.destroy();
  await Promise.all([pg?.stop(), nats?.stop()]);
});

const send = (content: string) => api(base, 'POST', `/api/v1/chats/${chatId}/messages`, { token: alice.token, body: { type: 'text', content } });
const readyz = () => api(base, 'GET', '/readyz');
const sendRoute = { route: '/api/v1/chats/:chat_id/messages', method: 'POST', status: '201' };

describe('operations of the messages service', () => {
  it('/readyz answers 200 with its database and NATS checks', async () => {
    const res = await readyz();
    expect(res.status).toBe(200);
    expect(res.body).toEqual(readyBody());
  });

  it('counts each stored message in messages_sent_total and the send route in the HTTP histogram; times the JetStream publishes', async () => {
    const before = await scrapeMetrics(base);
    const N = 5;
    for (let i = 0; i < N; i++) expect((await send(`m${i}`)).status).toBe(201);
    // Refused sends store nothing and count nothing.
    expect((await send('x'.repeat(5000))).status).toBe(400);
    const after = await pollUntil(
      () => scrapeMetrics(base),
      (m) => m.value('chatroulette_jetstream_publish_duration_seconds_count', { result: 'ok' }) >= before.value('chatroulette_jetstream_publish_duration_seconds_count', { result: 'ok' }) + N,
    );
    const moved = (name: string, labels?: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    expect(moved('chatroulette_messages_sent_total', { service: 'messages' })).toBe(N);
    expect(moved('chatroulette_http_request_duration_seconds_count', { service: 'messages', ...sendRoute })).toBe(N);
    expect(moved('chatroulette_http_request_duration_seconds_count', { ...sendRoute, status: '400' })).toBe(1);
    expect(moved('chatroulette_jetstream_publish_duration_seconds_count', { result: 'ok' })).toBe(N);
    // The route label is the pattern, never a chat id.
    expect(after.text).not.toContain(chatId);
    // Published events are marked in batches, a moment after their ack: the outbox empties then.
    const marked = await pollUntil(() => scrapeMetrics(base), (m) => m.value('chatroulette_outbox_pending_events') === 0);
    expect(marked.value('chatroulette_outbox_pending_events')).toBe(0);
    expect(marked.value('chatroulette_outbox_oldest_pending_seconds')).toBe(0);
    expect(after.value('chatroulette_process_cpu_user_seconds_total', { service: 'messages' })).toBeGreaterThan(0);
  });

  it('answers an error with request_id equal to the x-request-id sent, and logs one access line for it', async () => {
    const id = `ops-${randomUUID()}`;
    const res = await api(base, 'GET', `/api/v1/chats/${randomUUID()}`, { token: alice.token, headers: { 'x-request-id': id } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: expect.any(String), code: 'not_found', request_id: id });
    expect(res.headers.get('x-request-id')).toBe(id);
    const lines = await pollUntil(async () => log.requestLines(id), (l) => l.length > 0);
    expect(lines).toEqual([
      expect.objectContaining({ name: 'messages', method: 'GET', route: '/api/v1/chats/:chat_id', status: 404, error_code: 'not_found', duration_ms: expect.any(Number) }),
    ]);
    expect(JSON.stringify(lines)).not.toContain(alice.token);
  });

  it('with NATS gone: /readyz 503 naming nats, sends wait in the outbox; NATS back: published, 200 again', async () => {
    await nats.shutdown();
    const down = await pollUntil(readyz, (r) => r.status === 503, 10_000);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unavailable', error: 'Not ready: nats', checks: { database: { status: 'ok' }, nats: { status: 'failed' } } });

    expect((await send('during the outage')).status).toBe(201);
    const waiting = await pollUntil(() => scrapeMetrics(base), (m) => m.value('chatroulette_outbox_pending_events') >= 1);
    expect(waiting.value('chatroulette_outbox_pending_events')).toBe(1);

    await nats.restart();
    expect((await pollUntil(readyz, (r) => r.status === 200, 15_000)).status).toBe(200);
    const published = await pollUntil(() => scrapeMetrics(base), (m) => m.value('chatroulette_outbox_pending_events') === 0, 15_000);
    expect(published.value('chatroulette_outbox_pending_events')).toBe(0);
  });

  it('with PostgreSQL gone: /readyz 503 naming database while /metrics still answers; PostgreSQL back: 200 again', async () => {
    await pg.shutdown();
    const down = await pollUntil(readyz, (r) => r.status === 503, 10_000);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unavailable', error: 'Not ready: database', checks: { database: { status: 'failed' }, nats: { status: 'ok' } } });
    expect(down.body.checks.database.error).toEqual(expect.any(String));
    const during = await scrapeMetrics(base);
    expect(during.value('chatroulette_outbox_pending_events')).toBeNaN();

    await pg.restart();
    expect((await pollUntil(readyz, (r) => r.status === 200, 15_000)).body).toMatchObject({ status: 'ok' });
    expect((await send('after the outage')).status).toBe(201);
  });
});
