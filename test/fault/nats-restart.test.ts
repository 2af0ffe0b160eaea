import { afterAll, beforeAll, expect, it } from 'vitest';
import { sleep, startOwnNats, testScope, type ChatFollower, type Instance, type OwnNats, type Stack, type TestUser } from '@chatroulette/testing';
import { followNewChat, SendStats, compare, fullHistory, report, sendInTurn, settle, startGatewayAndPair, startSenders } from './fault-kit.js';

// The whole stack against its own nats-server (JetStream on disk), which crashes (SIGKILL) and comes back mid-stream.
const OUTAGE_MS = 1500;

const scope = testScope('fault-nats-restart');
let nats: OwnNats;
let stack: Stack;
let gw: Instance;
let a: TestUser;
let b: TestUser;
const followers: ChatFollower[] = [];

beforeAll(async () => {
  nats = await startOwnNats();
  ({ stack, gw, a, b } = await startGatewayAndPair({ ...scope, natsUrl: nats.url }));
});

afterAll(async () => {
  for (const f of followers) f.close();
  await stack?.destroy();
  await nats?.stop();
});

it('delivers every event to every socket once, in order, across a nats-server crash and restart', async () => {
  const { chatId, followers: pair } = await followNewChat(gw.url, a, b, () => gw.url);
  followers.push(...pair);

  const stats = new SendStats();
  const started = Date.now();
  const deadline = started + 60_000;
  const senders = startSenders(gw.url, [a, b, a, b], chatId, 'n', stats, deadline, 5);

  await sleep(1500);
  const seqAtCrash = followers.map((f) => f.last);
  await nats.kill();
  const down = Date.now();
  await sleep(OUTAGE_MS);
  await nats.restart();
  const outageMs = Date.now() - down;
  await sleep(3000);
  await senders.stop();
  const sendMs = Date.now() - started;

  const last = await settle(gw.url, a, chatId, followers, 40_000);
  const history = await fullHistory(gw.url, a, chatId);
  const figures = compare(history, followers, last);
  report('nats-restart', figures, {
    posts: stats.posts,
    retried: stats.retried,
    answered201: stats.created,
    last_seq: last,
    seq_at_crash: seqAtCrash.join('/'),
    reconnects: followers.reduce((k, f) => k + f.reconnects, 0),
    outage_ms: outageMs,
    send_ms: sendMs,
  });

  expect(stats.unexpected).toEqual([]);
  expect(seqAtCrash.every((s) => s > 0)).toBe(true);
  expect(figures.sent).toBeGreaterThanOrEqual(stats.created);
  expect({ lost: figures.lost, duplicated: figures.duplicated, reordered: figures.reordered }).toEqual({ lost: 0, duplicated: 0, reordered: 0 });
  expect(followers.map((f) => f.last)).toEqual([last, last]);
  expect(followers.flatMap((f) => f.recoveries.filter((r) => r.payload.recovered === false))).toEqual([]);
});

it('delivers events committed while nats-server is down, when nothing is sent after it is back', async () => {
  const { chatId, followers: tail } = await followNewChat(gw.url, a, b, () => gw.url);
  followers.push(...tail);

  const stats = new SendStats();
  const deadline = Date.now() + 30_000;
  await sendInTurn(gw.url, [a, b], chatId, 'before', 5, stats, deadline);
  await nats.kill();
  const down = Date.now();
  // Committed while NATS is down: only the relay can publish these, after it is back.
  await sendInTurn(gw.url, [a, b], chatId, 'during', 20, stats, deadline);
  const sentDuringMs = Date.now() - down;
  // Longer than the publish timeout (5 s) so the live publishes fail and the relay takes them.
  await sleep(Math.max(0, 6000 - sentDuringMs));
  await nats.restart();
  const outageMs = Date.now() - down;

  const last = await settle(gw.url, a, chatId, tail, 30_000);
  const history = await fullHistory(gw.url, a, chatId);
  const figures = compare(history, tail, last);
  report('nats-restart-tail', figures, { answered201: stats.created, last_seq: last, outage_ms: outageMs, sent_during_ms: sentDuringMs });

  expect(stats.unexpected).toEqual([]);
  expect(stats.created).toBe(25);
  expect(figures.sent).toBe(25);
  expect({ lost: figures.lost, duplicated: figures.duplicated, reordered: figures.reordered }).toEqual({ lost: 0, duplicated: 0, reordered: 0 });
  expect(tail.map((f) => f.last)).toEqual([last, last]);
});
