import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, sleep, startOwnPostgres, testScope, type ChatFollower, type Instance, type OwnPostgres, type Stack, type TestUser } from '@chatroulette/testing';
import { followNewChat, compare, fullHistory, report, settle, startGatewayAndPair, unlimitedSends } from './fault-kit.js';

// auth, messages and the gateway against their own PostgreSQL, which is SIGKILLed and down for ~3 s while requests go on.
const DOWN_MS = 3000;

const scope = testScope('fault-pg-outage');
let pg: OwnPostgres;
let stack: Stack;
let gw: Instance;
let a: TestUser;
let b: TestUser;
const followers: ChatFollower[] = [];

beforeAll(async () => {
  pg = await startOwnPostgres();
  ({ stack, gw, a, b } = await startGatewayAndPair({ ...scope, databaseUrl: pg.url }));
});

afterAll(async () => {
  for (const f of followers) f.close();
  await stack?.destroy();
  await pg?.stop();
});

/** Bounded requests; a connection error is status 0 and counts as a failed answer. */
const untilAnswered = { timeoutMs: 10_000, orStatus0: true };

interface Answer {
  at: number;
  what: string;
  status: number;
  body: any;
  content?: string;
}

it('answers 503 (never 500) while PostgreSQL is down, writes nothing by halves, and recovers by itself', async () => {
  const { chatId, followers: pair } = await followNewChat(gw.url, a, b, () => gw.url);
  followers.push(...pair);

  const answers: Answer[] = [];
  let stop = false;
  let n = 0;
  const poster = async (user: TestUser) => {
    while (!stop) {
      const content = `p${n++}-${user.username}`;
      const res = await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: user.token, body: { type: 'text', content }, ...untilAnswered });
      answers.push({ at: Date.now(), what: 'POST message', status: res.status, body: res.body, content });
      await sleep(10);
    }
  };
  const reader = async (user: TestUser, path: string) => {
    while (!stop) {
      const res = await api(gw.url, 'GET', path, { token: user.token, ...untilAnswered });
      answers.push({ at: Date.now(), what: `GET ${path}`, status: res.status, body: res.body });
      await sleep(25);
    }
  };
  const workers = [
    poster(a),
    poster(b),
    reader(a, `/api/v1/chats/${chatId}/messages?limit=20`),
    reader(b, `/api/v1/chats/${chatId}`),
    reader(a, '/api/v1/auth/profile'),
  ];

  await sleep(1500);
  await pg.kill();
  const downAt = Date.now();
  await sleep(DOWN_MS);
  await pg.restart();
  const upAt = Date.now();
  // Recovered by itself: every kind of request succeeds again without restarting anything.
  let recoveredMs = -1;
  for (let waited = 0; waited < 15_000; waited += 100) {
    const recent = answers.filter((x) => x.at > upAt + waited);
    const kinds = new Set(recent.filter((x) => x.status >= 200 && x.status < 300).map((x) => x.what));
    if (kinds.size === 4) {
      recoveredMs = Date.now() - upAt;
      break;
    }
    await sleep(100);
  }
  await sleep(1000);
  stop = true;
  await Promise.all(workers);

  const failed = answers.filter((x) => x.status < 200 || x.status >= 300);
  const during = answers.filter((x) => x.at >= downAt && x.at <= upAt);
  const posted = answers.filter((x) => x.what === 'POST message');
  const created = posted.filter((x) => x.status === 201);

  const last = await settle(gw.url, a, chatId, followers);
  const history = await fullHistory(gw.url, a, chatId);
  const figures = compare(history, followers, last);
  const historyIds = history.map((m) => m.id as string);
  const historyContents = history.map((m) => m.content as string);
  const missing201 = created.filter((x) => !historyIds.includes(x.body.id));
  const byStatus = new Map<number, number>();
  for (const x of failed) byStatus.set(x.status, (byStatus.get(x.status) ?? 0) + 1);
  const statusCounts = [...byStatus].map(([s, k]) => `${s}x${k}`).join(',');
  report('postgres-outage', figures, {
    requests: answers.length,
    during_outage: during.length,
    failed: failed.length,
    failed_statuses: statusCounts || 'none',
    posts: posted.length,
    answered201: created.length,
    committed_without_answer: history.length - created.length,
    missing_201: missing201.length,
    down_ms: upAt - downAt,
    recovered_ms: recoveredMs,
    last_seq: last,
  });

  // The outage was seen, and answered the contract's way: 503 (502/504 from the gateway), JSON {error}, never 500.
  expect(failed.length).toBeGreaterThan(0);
  expect(failed.filter((x) => ![502, 503, 504].includes(x.status) || typeof x.body?.error !== 'string')).toEqual([]);
  expect(answers.filter((x) => x.status === 500)).toEqual([]);
  expect(recoveredMs).toBeGreaterThanOrEqual(0);
  // Nothing half-written: each 201 is in the history once; no message appears twice; every message was
  // either answered 201 or lost its answer to the outage.
  expect(missing201).toEqual([]);
  expect(new Set(historyIds).size).toBe(historyIds.length);
  expect(new Set(historyContents).size).toBe(historyContents.length);
  const answeredOtherwise = new Set(posted.filter((x) => x.status !== 201).map((x) => x.content));
  const createdContents = new Set(created.map((x) => x.content));
  expect(historyContents.filter((c) => !createdContents.has(c) && !answeredOtherwise.has(c))).toEqual([]);
  // The relay published what was committed: every socket got every message of the history, in order.
  expect({ lost: figures.lost, duplicated: figures.duplicated, reordered: figures.reordered }).toEqual({ lost: 0, duplicated: 0, reordered: 0 });
  expect(followers.map((f) => f.last)).toEqual([last, last]);
});
