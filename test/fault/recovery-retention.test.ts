import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { createSubjects, messagesEventsList } from '@chatroulette/contracts';
import { request } from '@chatroulette/nats';
import { api, createChat, openSocket, registerUser, sleep, startStack, testScope, type Instance, type SocketClient, type Stack, type TestUser } from '@chatroulette/testing';
import { lastSeq, report, unlimitedSends } from './fault-kit.js';

// A chat keeps only its last 5 events (pruned every 200 ms); a socket asks for events from before that.
const KEEP = 5;
const SENT = 20;

const scope = testScope('fault-recovery-retention');
let stack: Stack;
let gw: Instance;
let nc: NatsConnection;
let a: TestUser;
let b: TestUser;
const sockets: SocketClient[] = [];

beforeAll(async () => {
  const messages = { service: 'messages', env: { EVENT_RETENTION_COUNT: String(KEEP), PRUNE_INTERVAL_MS: '200', ...unlimitedSends } } as const;
  stack = await startStack({ infra: scope, instances: [['auth', messages], 'gateway'] });
  gw = stack.get('gateway');
  nc = await connect({ servers: scope.natsUrl });
  [a, b] = await Promise.all([registerUser(gw.url, 'ann'), registerUser(gw.url, 'bob')]);
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await stack?.destroy();
  await nc?.drain();
});

it('answers a since older than retention with recovered:false and the last seq, then goes live', async () => {
  const chatId = await createChat(gw.url, a, [b]);
  // No socket on the chat meanwhile, so no gateway holds these frames in its ring.
  for (let i = 0; i < SENT; i++) {
    expect((await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: (i % 2 ? b : a).token, body: { type: 'text', content: `r${i}` } })).status).toBe(201);
  }
  const last = await lastSeq(gw.url, a, chatId);
  expect(last).toBe(SENT);

  const subjects = createSubjects(scope.namespace);
  const started = Date.now();
  let firstKept = 0;
  while (Date.now() - started < 10_000) {
    firstKept = (await request(nc, subjects.messagesEventsList, messagesEventsList, { chat_id: chatId, after_seq: 0, limit: 100 })).first_seq;
    if (firstKept === last - KEEP + 1) break;
    await sleep(100);
  }
  const pruneMs = Date.now() - started;
  expect(firstKept).toBe(last - KEEP + 1);

  // Older than what is kept: no replay, recovered:false with the chat's last seq, then live.
  const old = await openSocket(gw.url, { token: a.token, chat_id: chatId, since: '2' });
  sockets.push(old);
  const [recovery] = await old.waitFor((f) => f.type === 'recovery');
  expect(recovery).toEqual({ type: 'recovery', chat_id: chatId, payload: { recovered: false, seq: last } });
  expect(old.frames.filter((f) => typeof f.seq === 'number')).toEqual([]);

  // Still kept: the missing events, then recovered:true.
  const recent = await openSocket(gw.url, { token: b.token, chat_id: chatId, since: String(last - 2) });
  sockets.push(recent);
  await recent.waitFor((f) => f.type === 'recovery');
  expect(recent.frames.map((f) => f.seq ?? f.type)).toEqual([last - 1, last, 'recovery']);
  expect(recent.frames.at(-1).payload).toEqual({ recovered: true, seq: last });

  const live = await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: b.token, body: { type: 'text', content: 'live' } });
  expect(live.status).toBe(201);
  const [frame] = await old.waitFor((f) => f.type === 'new_message');
  expect(frame).toMatchObject({ seq: last + 1, payload: { id: live.body.id, content: 'live' } });
  await recent.waitFor((f) => f.type === 'new_message' && f.seq === last + 1);

  report('recovery-retention', { sent: SENT + 1, received: 1, lost: 0, duplicated: 0, reordered: 0 }, {
    kept: KEEP,
    since: 2,
    recovered: String(recovery.payload.recovered),
    recovery_seq: recovery.payload.seq,
    prune_ms: pruneMs,
  });
});
