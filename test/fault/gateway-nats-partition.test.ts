import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  registerUser, sleep, startOwnNats, startStack, startTcpProxy, testScope,
  type ChatFollower, type Instance, type OwnNats, type Stack, type TcpProxy, type TestUser,
} from '@chatroulette/testing';
import { followNewChat, SendStats, compare, fullHistory, report, sendInTurn, settle, unlimitedSends } from './fault-kit.js';

// One gateway loses NATS while the services keep it: the events published meanwhile reach no
// subscriber of that gateway, and nothing is sent after the link is back, so no later event shows
// a gap. Only the gateway's catch-up after its reconnect can deliver them.
const scope = testScope('fault-gateway-partition');
let nats: OwnNats;
let proxy: TcpProxy;
let stack: Stack;
let gw: Instance;
let a: TestUser;
let b: TestUser;
const followers: ChatFollower[] = [];

beforeAll(async () => {
  nats = await startOwnNats();
  proxy = await startTcpProxy(Number(new URL(nats.url).port));
  stack = await startStack({
    infra: { ...scope, natsUrl: nats.url },
    env: { messages: unlimitedSends },
    instances: [['auth', 'messages'], { service: 'gateway', env: { NATS_URL: `nats://127.0.0.1:${proxy.port}` } }],
  });
  gw = stack.get('gateway');
  [a, b] = await Promise.all([registerUser(gw.url, 'ann'), registerUser(gw.url, 'bob')]);
});

afterAll(async () => {
  for (const f of followers) f.close();
  await stack?.destroy();
  await proxy?.close();
  await nats?.stop();
});

it('delivers the events published while a gateway was cut off from NATS, once it is back', async () => {
  const { chatId, followers: pair } = await followNewChat(gw.url, a, b, () => gw.url);
  followers.push(...pair);

  const stats = new SendStats();
  const deadline = Date.now() + 30_000;
  await sendInTurn(gw.url, [a, b], chatId, 'before', 4, stats, deadline);
  const before = await settle(gw.url, a, chatId, followers, 10_000);

  proxy.cut();
  // REST still goes through this gateway to the messages service over HTTP; only its NATS link is down.
  await sendInTurn(gw.url, [a, b], chatId, 'during', 10, stats, deadline);
  await sleep(500);
  const seenWhileCut = followers.map((f) => f.last);
  proxy.restore();

  const last = await settle(gw.url, a, chatId, followers, 20_000);
  const history = await fullHistory(gw.url, a, chatId);
  const figures = compare(history, followers, last);
  report('gateway-nats-partition', figures, { answered201: stats.created, seq_before_cut: before, seq_seen_while_cut: seenWhileCut.join('/'), last_seq: last });

  expect(stats.unexpected).toEqual([]);
  expect(stats.created).toBe(14);
  // The cut was real: nothing sent during it reached the sockets before the link came back.
  expect(seenWhileCut).toEqual([before, before]);
  expect(figures.sent).toBe(14);
  expect({ lost: figures.lost, duplicated: figures.duplicated, reordered: figures.reordered }).toEqual({ lost: 0, duplicated: 0, reordered: 0 });
  expect(followers.map((f) => f.last)).toEqual([last, last]);
});
