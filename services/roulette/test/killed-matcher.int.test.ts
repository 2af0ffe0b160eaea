import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createSubjects } from '@chatroulette/contracts';
import { withDatabase } from '@chatroulette/db';
import { drainNats, type NatsConnection } from '@chatroulette/nats';
import { api, collectEvents, registerUser, sleep, startStack, testScope, waitUntil, type Stack, type TestUser } from '@chatroulette/testing';
import { fastJobs } from './fast-jobs.js';
import { connectScopeNats } from './scope-nats.js';

/**
 * A roulette instance (a child process) SIGKILLed in the middle of its matcher's work, beside a
 * second instance: inside a batch's transaction (nothing of the batch is written), or after the
 * batch committed, while its matches wait for their chats (the other instance's relay finishes them).
 */
const scope = testScope('roulette-killed-matcher');
const subjects = createSubjects(scope.namespace);
const CROWD = 80;
let stack: Stack;
let nc: NatsConnection;
let db: pg.Client;
let locker: pg.Client;
let messagesDb: pg.Client;

beforeAll(async () => {
  stack = await startStack({ infra: scope, env: { roulette: fastJobs }, instances: ['auth', 'messages', 'roulette', { service: 'roulette', run: 'process' }] });
  nc = await connectScopeNats(scope, 'roulette-killed-matcher-test');
  const url = withDatabase(scope.databaseUrl, scope.database('roulette'));
  db = new pg.Client({ connectionString: url });
  locker = new pg.Client({ connectionString: url });
  messagesDb = new pg.Client({ connectionString: withDatabase(scope.databaseUrl, scope.database('messages')) });
  await Promise.all([db.connect(), locker.connect(), messagesDb.connect()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([db?.end(), locker?.end(), messagesDb?.end()]);
  if (nc) await drainNats(nc);
  await stack?.destroy();
});

const search = (base: string, u: TestUser) => api(base, 'POST', '/api/v1/chatroulette/search', { token: u.token, orStatus0: true });

describe('a matcher killed mid-batch', () => {
  it('after the commit: the pending match is finished and announced by the other instance', { timeout: 60_000 }, async () => {
    const [survivor, victim] = stack.all('roulette');
    const auth = stack.get('auth').url;
    const [a, b] = await Promise.all([registerUser(auth, 'k'), registerUser(auth, 'k')]);
    const seen = await collectEvents(nc, subjects.allUserEvents);
    expect((await search(survivor!.url, a)).status).toBe(202);
    // Chats cannot be inserted until this transaction ends: the victim's batch commits, then waits for messages.
    await messagesDb.query('begin');
    await messagesDb.query('lock table chats in exclusive mode');
    const answer = search(victim!.url, b);
    const match = await waitUntil(
      async () => (await db.query('select id, status from matches where user_b = $1', [b.id])).rows[0],
      { what: 'the batch committed', timeoutMs: 10_000 },
    );
    expect(match.status).toBe('pending');
    const proc = stack.process('roulette', 1);
    proc.kill('SIGKILL');
    expect((await proc.waitExit(10_000)).signal).toBe('SIGKILL');
    await messagesDb.query('rollback');
    expect((await answer).status).toBe(0);

    const events = await seen.waitFor(2, 20_000);
    const row = (await db.query('select status, chat_id from matches where id = $1', [match.id])).rows[0];
    expect(row.status).toBe('active');
    expect(events.map((e) => [e.subject.split('.').at(-2), e.body.payload.user.id, e.body.chat_id]).sort()).toEqual(
      [
        [a.id, b.id, row.chat_id],
        [b.id, a.id, row.chat_id],
      ].sort(),
    );
    await sleep(300);
    expect(seen.events).toHaveLength(2);
    seen.stop();
    await proc.restart();
  });

  it('inside the transaction: leaves nothing half-written, and every user ends in exactly one match', { timeout: 90_000 }, async () => {
    const [survivor, victim] = stack.all('roulette');
    const auth = stack.get('auth').url;
    const users: TestUser[] = [];
    for (let i = 0; i < CROWD; i += 20) users.push(...(await Promise.all(Array.from({ length: 20 }, () => registerUser(auth, 'k')))));
    const seen = await collectEvents(nc, subjects.allUserEvents);

    // The oldest in the queue: the next batch pairs them first, and its write then waits on the row
    // this test locks, inside the batch's transaction.
    const [first, ...crowd] = users;
    expect((await search(survivor!.url, first!)).status).toBe(202);
    await locker.query('begin');
    await locker.query('select 1 from queue where user_id = $1 for update', [first!.id]);

    const victimFirst = crowd.slice(0, 10).map((u) => search(victim!.url, u));
    await waitUntil(
      async () => {
        const { rows } = await db.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'transactionid'`);
        return rows[0].n > 0 ? true : undefined;
      },
      { what: "the victim's batch waiting on the locked row", timeoutMs: 10_000 },
    );
    // The rest of the crowd arrives on both instances; then the victim dies with its batch open.
    const rest = crowd.slice(10).map((u, i) => search(i % 2 ? victim!.url : survivor!.url, u));
    await sleep(300);
    const proc = stack.process('roulette', 1);
    proc.kill('SIGKILL');
    expect((await proc.waitExit(10_000)).signal).toBe('SIGKILL');
    await locker.query('rollback');

    const answers = await Promise.all([...victimFirst, ...rest]);
    const lost = crowd.filter((_, i) => answers[i]!.status === 0);
    expect(lost.length).toBeGreaterThanOrEqual(10); // every search the victim held
    for (const a of answers) if (a.status !== 0) expect([200, 202]).toContain(a.status);
    // Nothing of the killed batch: no match has a user the victim was pairing when it died.
    const lostIds = new Set(lost.map((u) => u.id));
    const early = (await db.query<{ user_a: string; user_b: string }>('select user_a, user_b from matches')).rows;
    expect(early.filter((m) => lostIds.has(m.user_a) || lostIds.has(m.user_b))).toEqual([]);
    const queued = (await db.query<{ user_id: string }>('select user_id from queue')).rows;
    expect(queued.filter((r) => lostIds.has(r.user_id))).toEqual([]);

    // Their clients search again, on the instance that is left.
    for (const u of lost) expect([200, 202]).toContain((await search(survivor!.url, u)).status);
    await seen.waitFor(CROWD, 30_000);
    await sleep(500); // no late duplicates
    expect(seen.events).toHaveLength(CROWD);
    const partnerOf = new Map<string, string>();
    for (const e of seen.events) {
      const userId = e.subject.split('.').at(-2)!;
      expect(partnerOf.has(userId)).toBe(false);
      partnerOf.set(userId, e.body.payload.user.id);
    }
    for (const u of users) expect(partnerOf.get(partnerOf.get(u.id)!)).toBe(u.id);

    const ids = users.map((u) => u.id);
    const matches = (await db.query<{ user_a: string; user_b: string; status: string }>('select user_a, user_b, status from matches where user_a = any($1)', [ids])).rows;
    const matched = matches.flatMap((m) => [m.user_a, m.user_b]);
    expect(matches.every((m) => m.status === 'active')).toBe(true);
    expect(new Set(matched).size).toBe(matched.length);
    expect(matched.length).toBe(CROWD);
    expect((await db.query('select count(*)::int as n from queue')).rows[0].n).toBe(0);
    seen.stop();
  });
});
