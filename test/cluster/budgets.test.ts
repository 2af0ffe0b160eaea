import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, createChat, openSocket, registerUser, scrapeMetrics, startCluster, testScope, UpgradeRefused, type Cluster, type Instance, type TestUser } from '@chatroulette/testing';

/**
 * Budgets measured from outside the cluster: one user's requests spread over both gateways, each of
 * which sends them round-robin to both instances behind it. Every budget is held in a store they
 * share (messages and roulette: their PostgreSQL database; the gateways: the NATS KV bucket, R3
 * here), so the user gets the configured rate, not twice it.
 */
const RATE = 5;
const SECONDS = 6;
const scope = testScope('cluster-budgets');
let cluster: Cluster;
let g: [string, string];
let a: TestUser;
let b: TestUser;

beforeAll(async () => {
  cluster = await startCluster(scope, {
    services: ['roulette'],
    env: {
      messages: { RATE_MESSAGES_PER_SECOND: String(RATE), RATE_MESSAGES_BURST: String(RATE) },
      roulette: { RATE_SEARCHES_PER_MINUTE: '10' },
      gateway: { RATE_SOCKET_UPGRADES_PER_MINUTE: '5' },
    },
  });
  g = cluster.gateways.map((i) => i.url) as [string, string];
  [a, b] = await Promise.all([registerUser(g[0], 'ann'), registerUser(g[1], 'bob')]);
});
afterAll(() => cluster?.stop());

/** What the instances of a service answered, by status, summed (their own metrics). */
/** Messages each instance stored: the gateway asks over NATS (messages.send), so its HTTP metrics do not see them. */
async function stored(instances: Instance[]): Promise<number[]> {
  return Promise.all(instances.map(async (i) => (await scrapeMetrics(i.url)).value('chatroulette_messages_sent_total')));
}

it(`message sends: ${RATE} a second through two gateways and two messages instances, not twice that`, async () => {
  const chatId = await createChat(g[0], a, [b]);
  const messages = cluster.stack.all('messages');
  const before = await stored(messages);
  const statuses: number[] = [];
  const started = Date.now();
  // Four senders of one user, each request through the next gateway: as fast as the answers come.
  await Promise.all(
    Array.from({ length: 4 }, async (_, s) => {
      for (let i = s; Date.now() - started < SECONDS * 1000; i += 4) {
        const res = await api(g[i % 2]!, 'POST', `/api/v1/chats/${chatId}/messages`, { token: a.token, body: { type: 'text', content: `s${i}` } });
        statuses.push(res.status);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const created = statuses.filter((s) => s === 201).length;
  const refused = statuses.filter((s) => s === 429).length;
  const perInstance = (await stored(messages)).map((n, i) => n - before[i]!);
  // Fixed 1 s windows of RATE: the run touches ceil(seconds) or one more of them.
  const most = RATE * (Math.ceil(seconds) + 1);
  const least = RATE * (Math.floor(seconds) - 1);
  process.stdout.write(
    `[cluster:budgets] sends rate=${RATE}/s seconds=${seconds.toFixed(1)} requests=${statuses.length} created=${created} refused=${refused} ` +
      `allowed_range=${least}..${most} twice_would_be=${2 * least}..${2 * most} created_by_messages_instance=${perInstance.join('/')}\n`,
  );
  expect(statuses.filter((s) => s !== 201 && s !== 429)).toEqual([]);
  expect(created).toBeGreaterThanOrEqual(least);
  expect(created).toBeLessThanOrEqual(most);
  // Both instances stored sends, and both refused some: the budget is one across them.
  expect(perInstance.every((n) => n > 0)).toBe(true);
  expect(perInstance.reduce((x, y) => x + y, 0)).toBe(created);
});

it('roulette searches: 10 a minute through both gateways and both roulette instances', async () => {
  const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => api(g[i % 2]!, 'POST', '/api/v1/chatroulette/search', { token: b.token, body: {} })));
  const allowed = statuses.filter((r) => r.status === 202 || r.status === 200).length;
  process.stdout.write(`[cluster:budgets] searches per_minute=10 requests=30 allowed=${allowed} refused=${statuses.filter((r) => r.status === 429).length}\n`);
  expect(allowed).toBe(10);
  expect(statuses.filter((r) => r.status === 429)).toHaveLength(20);
});

it('socket admissions: 5 a minute per user across both gateways (their NATS KV bucket)', async () => {
  const outcomes = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      openSocket(g[i % 2]!, { token: a.token }).then(
        (s) => (s.close(), 101),
        (e: unknown) => (e instanceof UpgradeRefused ? e.status : -1),
      ),
    ),
  );
  process.stdout.write(`[cluster:budgets] upgrades per_minute=5 attempts=12 opened=${outcomes.filter((s) => s === 101).length} refused=${outcomes.filter((s) => s === 429).length}\n`);
  expect(outcomes.filter((s) => s === 101)).toHaveLength(5);
  expect(outcomes.filter((s) => s === 429)).toHaveLength(7);
});
