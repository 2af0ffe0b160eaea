import { afterAll, beforeAll, expect, it } from 'vitest';
import { ChatFollower, registerUser, sleep, startStack, testScope, type OwnService, type Stack, type TestUser } from '@chatroulette/testing';
import { followNewChat, SendStats, compare, fullHistory, report, settle, startSenders, unlimitedSends } from './fault-kit.js';

// Clients on gateway 1, which is SIGKILLed; they reconnect to gateway 2 with since=<last seq> while messages flow.
const scope = testScope('fault-gateway-kill');
let stack: Stack;
const gateways: OwnService[] = [];
let a: TestUser;
let b: TestUser;
const followers: ChatFollower[] = [];

beforeAll(async () => {
  const gateway = { service: 'gateway', run: 'process' } as const;
  stack = await startStack({ infra: scope, env: { messages: unlimitedSends }, instances: [['auth', 'messages'], [gateway, gateway]] });
  gateways.push(stack.process('gateway', 0), stack.process('gateway', 1));
  [a, b] = await Promise.all([registerUser(gateways[1]!.url, 'ann'), registerUser(gateways[1]!.url, 'bob')]);
});

afterAll(async () => {
  for (const f of followers) f.close();
  await stack?.destroy();
});

it('moves sockets of a SIGKILLed gateway to another one with since, missing and duplicating nothing', async () => {
  const [gw1, gw2] = gateways as [OwnService, OwnService];
  let target = gw1.url;
  const { chatId, followers: pair } = await followNewChat(gw2.url, a, b, () => target);
  followers.push(...pair);

  const stats = new SendStats();
  const started = Date.now();
  const deadline = started + 30_000;
  const senders = startSenders(gw2.url, [a, b, a, b], chatId, 'g', stats, deadline);

  await sleep(1500);
  const seenBeforeKill = followers.map((f) => f.last);
  target = gw2.url;
  gw1.kill('SIGKILL');
  const killedAt = Date.now();
  await gw1.waitExit(5000);
  await Promise.all(followers.map(async (f) => {
    while (!f.connected && Date.now() - killedAt < 15_000) await sleep(20);
  }));
  const movedMs = Date.now() - killedAt;
  await sleep(2000);
  await senders.stop();

  const last = await settle(gw2.url, a, chatId, followers);
  const history = await fullHistory(gw2.url, a, chatId);
  const figures = compare(history, followers, last);
  report('gateway-sigkill', figures, {
    posts: stats.posts,
    retried: stats.retried,
    last_seq: last,
    seq_at_kill: seenBeforeKill.join('/'),
    reconnects: followers.reduce((k, f) => k + f.reconnects, 0),
    moved_ms: movedMs,
    send_ms: Date.now() - started,
  });

  expect(stats.unexpected).toEqual([]);
  expect(seenBeforeKill.every((s) => s > 0)).toBe(true);
  // Each socket moved once; a socket gateway 2 dropped right after its upgrade (the uWS build's bug,
  // services/gateway/README.md) reconnects once more, as a client would: also with 1006 and since.
  expect(followers.every((f) => f.reconnects >= 1)).toBe(true);
  expect(followers.flatMap((f) => f.closes)).toEqual(followers.flatMap((f) => f.closes.map(() => 1006)));
  const recovered = followers.flatMap((f) => f.recoveries.map((r) => r.payload.recovered));
  expect(recovered).toEqual(Array(2 + followers.reduce((k, f) => k + f.reconnects, 0)).fill(true));
  expect({ lost: figures.lost, duplicated: figures.duplicated, reordered: figures.reordered }).toEqual({ lost: 0, duplicated: 0, reordered: 0 });
  expect(followers.map((f) => f.last)).toEqual([last, last]);
});
