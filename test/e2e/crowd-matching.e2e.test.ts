import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { withDatabase } from '@chatroulette/db';
import { api, registerUser, startStack, testScope, uniqueName, waitUntil, type Instance, type Stack, type TestUser } from '@chatroulette/testing';

// The matcher's guarantees with blocks and suspensions, in a crowd searching at once through two
// gateways, each in front of its own roulette instance (one queue, one database): never a blocked
// pair, never a suspended user, never a user in two pairs, and nobody left waiting who could be paired.
const CROWD = 240;
const BLOCKED_PAIRS = 40;
const SUSPENDED = 20;

const scope = testScope('e2e-crowd-matching');
const moderatorName = uniqueName('crowdmod');
let stack: Stack;
let gateways: Instance[];
let db: pg.Client;

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    env: { roulette: { ROULETTE_MATCHER_LOOP_MS: '100', ROULETTE_RELAY_LOOP_MS: '200', MODERATOR_USERNAMES: moderatorName } },
    instances: [
      'auth',
      'messages',
      ['roulette', 'roulette'],
      { service: 'gateway', upstreams: { roulette: [0] } },
      { service: 'gateway', upstreams: { roulette: [1] } },
    ],
  });
  gateways = stack.all('gateway');
  db = new pg.Client({ connectionString: withDatabase(scope.databaseUrl, scope.database('roulette')) });
  await db.connect();
}, 60_000);
afterAll(async () => {
  await db?.end();
  await stack?.destroy();
});

/** `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

const gatewayOf = (i: number) => gateways[i % 2]!.url;
const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

describe('a crowd over two roulette instances', () => {
  it(`pairs ${CROWD} searchers with ${BLOCKED_PAIRS} blocked pairs and ${SUSPENDED} suspended users: never a blocked pair, a suspended user or a user twice`, async () => {
    const crowd = await eachLimited(Array.from({ length: CROWD }), 16, (_, i) => registerUser(gatewayOf(i), 'cw'));
    const registered = await api(gateways[1]!.url, 'POST', '/api/v1/auth/register', { body: { username: moderatorName, password: 'correct horse battery' } });
    const moderator: TestUser = { id: registered.body.user.id, username: moderatorName, token: registered.body.token };

    // Users 2i and 2i+1 (i < BLOCKED_PAIRS) block each other one way, half of them each way round,
    // and search one right after the other: without the block, they would be each other's partner.
    const blocked = new Set<string>();
    await eachLimited(Array.from({ length: BLOCKED_PAIRS }, (_, i) => i), 8, async (i) => {
      const [a, b] = i % 2 ? [crowd[2 * i + 1]!, crowd[2 * i]!] : [crowd[2 * i]!, crowd[2 * i + 1]!];
      expect((await api(gatewayOf(i), 'POST', `/api/v1/users/${b.id}/block`, { token: a.token })).status).toBe(200);
      blocked.add(key(a.id, b.id));
    });
    const suspendedUsers = crowd.slice(2 * BLOCKED_PAIRS, 2 * BLOCKED_PAIRS + SUSPENDED);
    for (const u of suspendedUsers) {
      expect((await api(gatewayOf(0), 'POST', `/api/v1/moderation/users/${u.id}/suspend`, { token: moderator.token, body: { hours: 1 } })).status).toBe(200);
    }
    const suspended = new Set(suspendedUsers.map((u) => u.id));
    await waitUntil(
      async () => ((await db.query('select count(*)::int as n from user_blocks where blocked')).rows[0].n === BLOCKED_PAIRS ? true : undefined),
      { what: 'roulette has every block', timeoutMs: 10_000 },
    );

    // Suspended users are spread through the order; everyone searches at once, through both gateways.
    const order = [...crowd.slice(0, 2 * BLOCKED_PAIRS)];
    const rest = crowd.slice(2 * BLOCKED_PAIRS);
    rest.forEach((u, i) => order.splice(Math.min(order.length, i * 3 + 1), 0, u));
    const answers = await eachLimited(order, 48, (u, i) => api(gatewayOf(i), 'POST', '/api/v1/chatroulette/search', { token: u.token }));
    for (const [i, u] of order.entries()) {
      const a = answers[i]!;
      if (suspended.has(u.id)) expect(a.body, u.id).toMatchObject({ code: 'suspended' });
      else expect([200, 202], JSON.stringify(a.body)).toContain(a.status);
    }

    // Until the matcher has nothing left to do: everyone still waiting is blocked with everyone else waiting, and no match is unfinished.
    const waiting = await waitUntil(
      async () => {
        const queued = (await db.query<{ user_id: string }>('select user_id from queue')).rows.map((r) => r.user_id);
        const pending = (await db.query('select count(*)::int as n from matches where status = $1', ['pending'])).rows[0].n;
        const stuck = queued.some((a, i) => queued.slice(i + 1).some((b) => !blocked.has(key(a, b))));
        return pending === 0 && !stuck ? queued : undefined;
      },
      { what: 'the crowd paired', timeoutMs: 30_000, intervalMs: 200 },
    );

    const matches = (await db.query<{ user_a: string; user_b: string; status: string }>('select user_a, user_b, status from matches')).rows;
    const matched = matches.flatMap((m) => [m.user_a, m.user_b]);
    expect(matches.every((m) => m.status === 'active')).toBe(true);
    expect(new Set(matched).size).toBe(matched.length);
    expect(matches.filter((m) => blocked.has(key(m.user_a, m.user_b)))).toEqual([]);
    expect(matched.filter((id) => suspended.has(id))).toEqual([]);
    expect(waiting.filter((id) => suspended.has(id))).toEqual([]);
    // Every one who may be matched was, but for those whom only a block keeps waiting.
    expect(matched.length + waiting.length).toBe(CROWD - SUSPENDED);
    expect(waiting.length).toBeLessThanOrEqual(2);
  }, 60_000);
});
