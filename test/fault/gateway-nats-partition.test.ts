import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  api, openSocket, pollUntil, registerUser, sleep, startOwnNats, startStack, startTcpProxy, testScope,
  type ChatFollower, type Instance, type OwnNats, type Stack, type TcpProxy, type TestUser,
} from '@chatroulette/testing';
import { followNewChat, SendStats, compare, fullHistory, report, sendInTurn, settle, unlimitedSends } from './fault-kit.js';

// One gateway loses NATS while the services keep it: the events published meanwhile reach no
// subscriber of that gateway, and nothing is sent after the link is back, so no later event shows
// a gap. Only the gateway's catch-up after its reconnect can deliver them: a chat's tail from the
// event log, a user's chatroulette_match from USER_EVENTS, and the presence of its users to auth.
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
    env: {
      messages: unlimitedSends,
      // Heartbeats 200 ms apart: auth expires a silent gateway's presence within a second.
      auth: { PRESENCE_SWEEP_MS: '100' },
      gateway: { PRESENCE_HEARTBEAT_MS: '200' },
      roulette: { ROULETTE_GRACE_LOOP_MS: '100' },
    },
    instances: [['auth', 'messages', 'roulette'], { service: 'gateway', env: { NATS_URL: `nats://127.0.0.1:${proxy.port}` } }],
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

/** The user's own is_online, as auth has it (through the cut gateway's REST, which needs no NATS). */
async function isOnline(user: TestUser): Promise<boolean> {
  const res = await api(gw.url, 'GET', '/api/v1/auth/profile', { token: user.token });
  expect(res.status).toBe(200);
  return res.body.is_online as boolean;
}

it("delivers a chatroulette_match published while the user's gateway was cut off, once, and has auth see the user online again", async () => {
  const [c, d] = await Promise.all([registerUser(gw.url, 'cy'), registerUser(gw.url, 'dee')]);
  const lobby = await openSocket(gw.url, { token: c.token });
  expect(await pollUntil(() => isOnline(c), (v) => v, 5000)).toBe(true);

  proxy.cut();
  // Past 3 heartbeats without one, auth expires this gateway's presence: c is offline meanwhile.
  expect(await pollUntil(() => isOnline(c), (v) => !v, 10_000)).toBe(false);
  expect((await api(gw.url, 'POST', '/api/v1/chatroulette/search', { token: c.token, body: {} })).status).toBe(202);
  const found = await api(gw.url, 'POST', '/api/v1/chatroulette/search', { token: d.token, body: {} });
  expect(found.body).toMatchObject({ status: 'matched' });
  const chatId = found.body.chat_id as string;
  await sleep(500);
  // The cut was real: the event went to USER_EVENTS and reached nobody here.
  const whileCut = lobby.ofType('chatroulette_match').length;
  proxy.restore();

  const [frame] = await lobby.waitFor((f) => f.type === 'chatroulette_match', 1, 20_000);
  expect(frame).toMatchObject({ chat_id: chatId, payload: { chat_id: chatId, user: { id: d.id } } });
  expect(await pollUntil(() => isOnline(c), (v) => v, 10_000)).toBe(true);
  // The match holds: the presence came back before roulette's grace period (15 s) ran out.
  expect((await api(gw.url, 'GET', '/api/v1/chatroulette/status', { token: c.token })).body).toMatchObject({ status: 'matched', chat_id: chatId });
  await sleep(500);
  const delivered = lobby.ofType('chatroulette_match').length;
  process.stdout.write(`[fault:gateway-nats-partition-user-events] sent=1 received=${delivered} lost=${1 - Math.min(1, delivered)} duplicated=${Math.max(0, delivered - 1)} reordered=0 seen_while_cut=${whileCut} online_after=true\n`);
  expect(whileCut).toBe(0);
  expect(delivered).toBe(1);
  lobby.close();
});
