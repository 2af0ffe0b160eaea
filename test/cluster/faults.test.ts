import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect } from 'nats';
import { createSubjects } from '@chatroulette/contracts';
import {
  api, ChatFollower, createChat, openSocket, registerUser, sleep, startCluster, testScope, waitUntil,
  type Cluster, type TestUser,
} from '@chatroulette/testing';
import { compare, fullHistory, report, SendStats, settle, startSenders, unlimitedSends } from '../fault/fault-kit.js';

/**
 * Faults on the cluster topology, each while two users of one chat send all the time through both
 * gateways (their sockets on different gateways): a NATS node SIGKILLed and restarted, one instance
 * of each service SIGKILLed (the others go on; the killed ones are started again after), and a
 * gateway SIGKILLed (its sockets move to the other with since). Each prints the counts of sent,
 * received, lost, duplicated and reordered events, which must be 0 but for sent and received.
 */
const scope = testScope('cluster-faults');
const subjects = createSubjects(scope.namespace);
/** A real 1x1 PNG. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
let cluster: Cluster;
let g: [string, string];
let a: TestUser;
let b: TestUser;
const followers: ChatFollower[] = [];

beforeAll(async () => {
  cluster = await startCluster(scope, { env: { messages: unlimitedSends, roulette: { ROULETTE_MATCHER_LOOP_MS: '100' } } });
  g = cluster.gateways.map((i) => i.url) as [string, string];
  [a, b] = await Promise.all([registerUser(g[0], 'ann'), registerUser(g[1], 'bob')]);
});
afterAll(async () => {
  for (const f of followers) f.close();
  await cluster?.stop();
});

/**
 * A new chat of a and b with a's socket on one gateway and b's on the other (`gateways()` names each
 * one's at every reconnect), and senders through both gateways until `stop()`: then the figures.
 */
async function chatUnderLoad(name: string, gateways: () => [string, string], senderBases: () => string[]) {
  const chatId = await createChat(g[0], a, [b]);
  const pair = [new ChatFollower(a, chatId, () => gateways()[0]), new ChatFollower(b, chatId, () => gateways()[1])];
  followers.push(...pair);
  await Promise.all(pair.map((f) => f.ready()));
  const stats = new SendStats();
  const deadline = Date.now() + 60_000;
  const senders = senderBases().map((base, i) => startSenders(base, [a, b], chatId, `${name}${i}-`, stats, deadline));
  return {
    stats,
    async finish(extra: Record<string, string | number>) {
      await Promise.all(senders.map((s) => s.stop()));
      const last = await settle(g[1], a, chatId, pair, 30_000);
      const figures = compare(await fullHistory(g[1], a, chatId), pair, last);
      report(name, figures, { answered201: stats.created, retried: stats.retried, last_seq: last, reconnects: pair.map((f) => f.reconnects).join('/'), ...extra });
      expect(stats.unexpected).toEqual([]);
      expect(figures.sent).toBe(stats.created);
      expect({ lost: figures.lost, duplicated: figures.duplicated, reordered: figures.reordered }).toEqual({ lost: 0, duplicated: 0, reordered: 0 });
      return figures;
    },
  };
}

it('SIGKILLs the NATS node leading CHAT_EVENTS mid-run and starts it again: nothing lost, duplicated or reordered', async () => {
  const run = await chatUnderLoad('cluster-nats-node', () => g, () => g);
  await sleep(1500);
  const nc = await connect({ servers: cluster.nats.urls });
  const jsm = await nc.jetstreamManager();
  const leader = (await jsm.streams.info(subjects.chatEventsStream)).cluster?.leader;
  const node = cluster.nats.nodes.find((n) => n.name === leader)!;
  expect(node).toBeDefined();
  await node.kill();
  const killedAt = Date.now();
  await sleep(2000);
  await node.start();
  const downMs = Date.now() - killedAt;
  await sleep(1500);
  await run.finish({ killed: `${node.name}(leader)`, down_ms: downMs });
  // Back in the stream's group and caught up.
  await waitUntil(
    async () => ((await jsm.streams.info(subjects.chatEventsStream)).cluster?.replicas?.find((r) => r.name === node.name)?.current ? true : undefined),
    { what: `${node.name} current again in ${subjects.chatEventsStream}`, timeoutMs: 30_000, intervalMs: 250 },
  );
  await nc.close();
});

it('SIGKILLs one instance of each service mid-run: the others serve, nothing lost, duplicated or reordered', async () => {
  const run = await chatUnderLoad('cluster-instances', () => g, () => g);
  await sleep(1500);
  const killed = (['auth', 'messages', 'roulette', 'media'] as const).map((service) => cluster.stack.process(service, 0));
  for (const p of killed) p.kill('SIGKILL');
  const killedAt = Date.now();
  await Promise.all(killed.map((p) => waitUntil(async () => (p.running ? undefined : true), { what: `${p.url} gone`, timeoutMs: 10_000 })));

  // What each service does, through each gateway, with its twin alone.
  const [c, d] = await Promise.all([registerUser(g[0], 'cy'), registerUser(g[1], 'dee')]);
  const lobbies = await Promise.all([openSocket(g[0], { token: c.token }), openSocket(g[1], { token: d.token })]);
  expect((await api(g[0], 'POST', '/api/v1/chatroulette/search', { token: c.token, body: {} })).status).toBe(202);
  const found = await api(g[1], 'POST', '/api/v1/chatroulette/search', { token: d.token, body: {} });
  expect(found.body).toMatchObject({ status: 'matched' });
  for (const l of lobbies) await l.waitFor((f) => f.type === 'chatroulette_match' && f.chat_id === found.body.chat_id);
  const form = new FormData();
  form.append('file', new Blob([png]), 'dot.png');
  const uploaded = await fetch(`${g[0]}/api/v1/upload`, { method: 'POST', headers: { authorization: `Bearer ${c.token}` }, body: form });
  expect(uploaded.status).toBe(201);
  const { file_url: fileUrl } = (await uploaded.json()) as { file_url: string };
  const served = await fetch(`${g[1]}${fileUrl}`);
  expect(Buffer.from(await served.arrayBuffer())).toEqual(png);
  for (const l of lobbies) l.close();

  await sleep(1500);
  await run.finish({ killed: 'auth-1,messages-1,roulette-1,media-1', alone_ms: Date.now() - killedAt });
  // Started again: the cluster has two of each for what follows.
  await Promise.all(killed.map((p) => p.restart()));
});

it('SIGKILLs a gateway mid-run: its sockets move to the other with since, nothing lost, duplicated or reordered', async () => {
  let alive: [string, string] = g;
  const run = await chatUnderLoad('cluster-gateway', () => alive, () => [g[1]]);
  await sleep(1500);
  // a's socket is on the first gateway; from now on every (re)connect goes to the second.
  alive = [g[1], g[1]];
  const gw = cluster.stack.all('gateway')[0]!.process!;
  gw.kill('SIGKILL');
  const killedAt = Date.now();
  await waitUntil(async () => (followers.at(-2)!.connected && followers.at(-2)!.reconnects > 0 ? true : undefined), { what: "a's socket on the other gateway", timeoutMs: 20_000 });
  const movedMs = Date.now() - killedAt;
  await sleep(1500);
  await run.finish({ killed: 'gateway-1', moved_ms: movedMs });
});
