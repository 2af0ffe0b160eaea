import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import pino from 'pino';
import { withDatabase } from '@chatroulette/db';
import { api, openSocket, registerUsers, startStack, testScope, uniqueName, type Instance, type Stack, type TestUser } from '@chatroulette/testing';

// Reports, suspensions and moderation through the gateway (docs/contract.md, "Blocking and reporting").
const scope = testScope('e2e-reports');
const moderatorName = uniqueName('Mod');
const logged: Record<string, any>[] = [];
let stack: Stack;
let gw: Instance;
let moderator: TestUser;
let rouletteDb: pg.Client;

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    env: { roulette: { ROULETTE_MATCHER_LOOP_MS: '100', ROULETTE_RELAY_LOOP_MS: '100', MODERATOR_USERNAMES: `someone-else, ${moderatorName.toLowerCase()}` } },
    instances: [
      'auth',
      'messages',
      { service: 'roulette', options: { log: pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) }) } },
      'gateway',
    ],
  });
  gw = stack.get('gateway');
  const registered = await api(gw.url, 'POST', '/api/v1/auth/register', { body: { username: moderatorName, password: 'correct horse battery' } });
  moderator = { id: registered.body.user.id, username: moderatorName, token: registered.body.token };
  rouletteDb = new pg.Client({ connectionString: withDatabase(scope.databaseUrl, scope.database('roulette')) });
  await rouletteDb.connect();
});
afterAll(async () => {
  await rouletteDb?.end();
  await stack?.destroy();
});

const R = '/api/v1/chatroulette';
const users = <N extends number>(n: N, prefix: string) => registerUsers(gw.url, n, prefix);
const search = (u: TestUser) => api(gw.url, 'POST', `${R}/search`, { token: u.token });
const status = async (u: TestUser) => (await api(gw.url, 'GET', `${R}/status`, { token: u.token })).body.status;
const report = (u: TestUser, chatId: string, body?: unknown) => api(gw.url, 'POST', `${R}/${chatId}/report`, { token: u.token, body });
const send = (u: TestUser, chatId: string, content: string) =>
  api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: u.token, body: { type: 'text', content } });
const openReports = async (status = 'open') => (await api(gw.url, 'GET', `/api/v1/moderation/reports?status=${status}`, { token: moderator.token })).body.reports;
const suspend = (by: TestUser, userId: string, body?: unknown) => api(gw.url, 'POST', `/api/v1/moderation/users/${userId}/suspend`, { token: by.token, body });
const lift = (by: TestUser, userId: string) => api(gw.url, 'DELETE', `/api/v1/moderation/users/${userId}/suspend`, { token: by.token });

/** `first` waits, `second` finds them (the queue is empty between tests). */
async function pair(first: TestUser, second: TestUser): Promise<string> {
  expect((await search(first)).status).toBe(202);
  const found = await search(second);
  expect(found.body).toMatchObject({ status: 'matched', user: { id: first.id } });
  return found.body.chat_id;
}

/** About `hours` from now, as the answers write it. */
function inHours(iso: string, hours: number) {
  const ms = Date.parse(iso) - Date.now();
  return Math.abs(ms - hours * 3_600_000) < 60_000;
}

describe('reports', () => {
  it('refuses bad reports with their documented errors, and stores nothing', async () => {
    const [ann, bob, cy] = await users(3, 'rq');
    const chatId = await pair(ann, bob);
    const bad: [unknown, string][] = [
      [{ reason: 'rude' }, 'an unknown reason'],
      [{ reason: 'spam', details: 'x'.repeat(1001) }, '1,001 characters of details'],
      [{ reason: 'spam', details: 42 }, 'details that are not text'],
      [undefined, 'no body'],
      [{}, 'no reason'],
    ];
    for (const [body, what] of bad) expect((await report(ann, chatId, body)).status, what).toBe(400);
    expect(await report(ann, 'not-a-chat', { reason: 'spam' })).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    expect(await report(ann, randomUUID(), { reason: 'spam' })).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(await report(cy, chatId, { reason: 'spam' })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect((await api(gw.url, 'POST', `${R}/${chatId}/report`, { body: { reason: 'spam' } })).status).toBe(401);
    // Nothing stored: no report, no block, the chat goes on.
    expect((await openReports()).filter((r: { chat_id: string }) => r.chat_id === chatId)).toEqual([]);
    expect((await api(gw.url, 'GET', '/api/v1/users/blocks', { token: ann.token })).body.blocks).toEqual([]);
    expect(await status(ann)).toBe('matched');
    expect((await send(bob, chatId, 'still here')).status).toBe(201);
    await api(gw.url, 'POST', `${R}/${chatId}/skip`, { token: ann.token });
  });

  it('ends the match as a skip, blocks the reported user, and keeps the messages as they were; a second report is 409', async () => {
    const [ann, bob] = await users(2, 'rr');
    const chatId = await pair(ann, bob);
    const bobsSocket = await openSocket(gw.url, { token: bob.token, chat_id: chatId });
    const sent = [];
    for (const [u, text] of [[ann, 'hello'], [bob, 'you are awful'], [bob, 'and more']] as const) sent.push((await send(u, chatId, text)).body);

    const made = await report(ann, chatId, { reason: 'harassment', details: 'd'.repeat(1000) });
    expect(made).toMatchObject({ status: 201, body: { report_id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'received' } });
    expect(Object.keys(made.body).sort()).toEqual(['report_id', 'status']);
    const [left] = await bobsSocket.waitFor((f) => f.type === 'chatroulette_left', 1, 5000);
    expect(left.payload).toEqual({ user_id: ann.id, username: ann.username });
    expect([await status(ann), await status(bob)]).toEqual(['idle', 'idle']);
    expect((await api(gw.url, 'GET', '/api/v1/users/blocks', { token: ann.token })).body.blocks).toMatchObject([{ user_id: bob.id, username: bob.username }]);
    expect(await report(ann, chatId, { reason: 'spam' })).toMatchObject({ status: 409, body: { code: 'conflict' } });

    // The reported user changes the record afterwards: the evidence does not change.
    expect((await api(gw.url, 'PUT', `/api/v1/messages/${sent[1].id}/edit`, { token: bob.token, body: { content: 'sorry' } })).status).toBe(200);
    expect((await api(gw.url, 'DELETE', `/api/v1/messages/${sent[2].id}`, { token: bob.token })).status).toBe(200);
    const mine = (await openReports()).filter((r: { chat_id: string }) => r.chat_id === chatId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toEqual({
      id: made.body.report_id,
      reporter_id: ann.id,
      reported_id: bob.id,
      chat_id: chatId,
      reason: 'harassment',
      details: 'd'.repeat(1000),
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      status: 'open',
      messages: sent.map((m) => ({ ...m, status: expect.any(String) })),
    });
    expect(mine[0].messages.map((m: { content: string; is_edited: boolean }) => [m.content, m.is_edited])).toEqual([
      ['hello', false],
      ['you are awful', false],
      ['and more', false],
    ]);
    bobsSocket.close();
  });

  it('suspends a user reported by 3 different users within the window: out of a live match, out of the queue, search and find 403', async () => {
    const [x, r1, r2, r3, partner] = await users(5, 'rs');
    expect((await report(r1, await pair(x, r1), { reason: 'spam' })).status).toBe(201);
    expect((await report(r2, await pair(x, r2), { reason: 'nudity' })).status).toBe(201);
    const third = await pair(x, r3);
    await api(gw.url, 'POST', `${R}/${third}/skip`, { token: r3.token });
    const live = await pair(x, partner);
    const partnersSocket = await openSocket(gw.url, { token: partner.token, chat_id: live });

    // The third report, of an earlier chat, while x is in a live match with someone else.
    expect((await report(r3, third, { reason: 'other' })).status).toBe(201);
    const [left] = await partnersSocket.waitFor((f) => f.type === 'chatroulette_left', 1, 5000);
    expect(left.payload).toEqual({ user_id: x.id, username: x.username });
    expect([await status(x), await status(partner)]).toEqual(['idle', 'idle']);
    const refused = await search(x);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: expect.any(String), code: 'suspended' });
    expect(inHours(refused.body.suspended_until, 24)).toBe(true);
    expect(await api(gw.url, 'GET', `${R}/find`, { token: x.token })).toMatchObject({ status: 403, body: { code: 'suspended', suspended_until: refused.body.suspended_until } });
    expect(await status(x)).toBe('idle');
    partnersSocket.close();

    // A searcher whose third report comes while they wait leaves the queue.
    const [y, s1, s2, s3, other] = await users(5, 'rt');
    expect((await report(s1, await pair(y, s1), { reason: 'spam' })).status).toBe(201);
    expect((await report(s2, await pair(y, s2), { reason: 'spam' })).status).toBe(201);
    const last = await pair(y, s3);
    await api(gw.url, 'POST', `${R}/${last}/skip`, { token: s3.token });
    expect((await search(y)).status).toBe(202);
    expect((await report(s3, last, { reason: 'violence' })).status).toBe(201);
    expect(await status(y)).toBe('idle');
    expect((await search(other)).status).toBe(202);
    await api(gw.url, 'DELETE', `${R}/search`, { token: other.token });
  });
});

describe('moderation', () => {
  it('is for moderators only: others get 403 and change nothing', async () => {
    const [ann, bob] = await users(2, 'mo');
    expect(await api(gw.url, 'GET', '/api/v1/moderation/reports?status=open', { token: ann.token })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect((await suspend(ann, bob.id, { hours: 1 })).status).toBe(403);
    expect((await lift(ann, bob.id)).status).toBe(403);
    expect((await api(gw.url, 'GET', '/api/v1/moderation/reports')).status).toBe(401);
    expect((await search(bob)).status).toBe(202);
    await api(gw.url, 'DELETE', `${R}/search`, { token: bob.token });
    const { rows } = await rouletteDb.query('select count(*)::int as n from moderation_actions where user_id = $1', [bob.id]);
    expect(rows[0].n).toBe(0);
  });

  it('refuses bad moderation input with its documented errors', async () => {
    const [bob] = await users(1, 'mb');
    expect((await api(gw.url, 'GET', '/api/v1/moderation/reports?status=bogus', { token: moderator.token })).status).toBe(400);
    expect((await suspend(moderator, 'nope', { hours: 1 })).status).toBe(400);
    for (const body of [{ hours: 0 }, { hours: 1.5 }, { hours: 'two' }, { hours: 8761 }, {}, undefined]) {
      expect((await suspend(moderator, bob.id, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await suspend(moderator, randomUUID(), { hours: 1 })).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect((await search(bob)).status).toBe(202);
    await api(gw.url, 'DELETE', `${R}/search`, { token: bob.token });
  });

  it('lists open reports with their evidence, suspends (out of the queue) and lifts, each action logged and stored with who did it', async () => {
    const [ann, bob] = await users(2, 'mm');
    const chatId = await pair(ann, bob);
    await send(bob, chatId, 'evidence');
    const made = (await report(ann, chatId, { reason: 'underage' })).body;
    const listed = (await openReports()).find((r: { id: string }) => r.id === made.report_id);
    expect(listed).toMatchObject({ reported_id: bob.id, details: null, status: 'open', messages: [{ content: 'evidence', user_id: bob.id }] });

    expect((await search(bob)).status).toBe(202);
    const suspended = await suspend(moderator, bob.id, { hours: 2 });
    expect(suspended).toMatchObject({ status: 200, body: { user_id: bob.id } });
    expect(Object.keys(suspended.body).sort()).toEqual(['suspended_until', 'user_id']);
    expect(inHours(suspended.body.suspended_until, 2)).toBe(true);
    expect(await status(bob)).toBe('idle');
    expect(await search(bob)).toMatchObject({ status: 403, body: { code: 'suspended', suspended_until: suspended.body.suspended_until } });
    // The moderator acted on bob: his open reports are resolved.
    expect((await openReports()).some((r: { id: string }) => r.id === made.report_id)).toBe(false);
    expect((await openReports('resolved')).some((r: { id: string }) => r.id === made.report_id)).toBe(true);

    expect(await lift(moderator, bob.id)).toMatchObject({ status: 200, body: { user_id: bob.id, suspended_until: null } });
    expect((await search(bob)).status).toBe(202);
    await api(gw.url, 'DELETE', `${R}/search`, { token: bob.token });

    const actions = logged.filter((l) => l.userId === bob.id && l.moderatorId === moderator.id).map((l) => [l.action, l.moderator]);
    expect(actions).toEqual([
      ['suspend', moderatorName],
      ['lift', moderatorName],
    ]);
    const { rows } = await rouletteDb.query('select action, moderator_id, moderator_username from moderation_actions where user_id = $1 order by id', [bob.id]);
    expect(rows).toEqual([
      { action: 'suspend', moderator_id: moderator.id, moderator_username: moderatorName },
      { action: 'lift', moderator_id: moderator.id, moderator_username: moderatorName },
    ]);
  });
});
