import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubjects } from '@chatroulette/contracts';
import { drainNats, type NatsConnection } from '@chatroulette/nats';
import { api, collectEvents, pollUntil, registerUser, sleep, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';
import { fastJobs } from './fast-jobs.js';
import { connectScopeNats } from './scope-nats.js';

const scope = testScope('roulette-matching');
const subjects = createSubjects(scope.namespace);
let stack: Stack;
let nc: NatsConnection;
let auth: string;
let messages: string;
let roulette: string;

beforeAll(async () => {
  stack = await startStack({ infra: scope, env: { roulette: fastJobs }, instances: ['auth', 'messages', 'roulette'] });
  nc = await connectScopeNats(scope, 'roulette-matching-test');
  [auth, messages, roulette] = [stack.get('auth').url, stack.get('messages').url, stack.get('roulette').url];
});
afterAll(async () => {
  if (nc) await drainNats(nc);
  await stack?.destroy();
});

const R = '/api/v1/chatroulette';
const search = (u: TestUser, body?: unknown) => api(roulette, 'POST', `${R}/search`, { token: u.token, body });
const status = (u: TestUser) => api(roulette, 'GET', `${R}/status`, { token: u.token });
const post = (u: TestUser, chatId: string, content: string) =>
  api(messages, 'POST', `/api/v1/chats/${chatId}/messages`, { token: u.token, body: { type: 'text', content } });
const publicUser = (u: TestUser) => ({ id: u.id, username: u.username, is_online: expect.any(Boolean), last_seen: null });

/** Two users matched: `first` waits, `second` finds them. */
async function pair(first: TestUser, second: TestUser) {
  expect((await search(first)).status).toBe(202);
  const res = await search(second);
  expect(res.status).toBe(200);
  return res.body.chat_id as string;
}

describe('matching', () => {
  it('matches a waiting user with the next searcher and tells both, after the chat exists', async () => {
    const [a, b] = [await registerUser(auth), await registerUser(auth)];
    const eventsA = await collectEvents(nc, subjects.userEvents(a.id));
    const eventsB = await collectEvents(nc, subjects.userEvents(b.id));

    const first = await search(a);
    expect(first).toEqual({ status: 202, body: { status: 'searching' }, headers: expect.any(Headers) });
    const second = await search(b, { interests: [] });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ status: 'matched', chat_id: expect.any(String), user: publicUser(a) });
    const chatId = second.body.chat_id;

    await eventsA.waitFor(1);
    await eventsB.waitFor(1);
    await sleep(200); // one event per user per match, no more
    expect(eventsA.events).toHaveLength(1);
    expect(eventsB.events).toHaveLength(1);
    expect(eventsA.events[0]!.subject).toBe(subjects.userEvent(a.id, 'chatroulette_match'));
    expect(eventsA.events[0]!.body).toEqual({
      type: 'chatroulette_match',
      chat_id: chatId,
      payload: { user: publicUser(b), chat_id: chatId },
    });
    expect(eventsB.events[0]!.body).toEqual({
      type: 'chatroulette_match',
      chat_id: chatId,
      payload: { user: publicUser(a), chat_id: chatId },
    });

    // Both can post at once: the chat existed before anyone was told.
    const [pa, pb] = await Promise.all([post(a, chatId, 'hi'), post(b, chatId, 'hello')]);
    expect([pa.status, pb.status]).toEqual([201, 201]);

    const st = await status(a);
    expect(st.status).toBe(200);
    expect(st.body).toEqual({ status: 'matched', chat_id: chatId, user: publicUser(b), queue_size: expect.any(Number) });

    // A second search while matched answers the current match.
    const again = await api(roulette, 'GET', `${R}/find`, { token: a.token });
    expect(again).toEqual({ status: 200, body: { status: 'matched', chat_id: chatId, user: publicUser(b) }, headers: expect.any(Headers) });
    eventsA.stop();
    eventsB.stop();
  });

  it('answers a second search while searching without a second queue entry, and DELETE leaves the queue', async () => {
    const u = await registerUser(auth);
    const before = (await status(u)).body;
    expect(before.status).toBe('idle');
    expect((await search(u)).status).toBe(202);
    expect((await api(roulette, 'GET', `${R}/find`, { token: u.token })).status).toBe(202);
    const during = (await status(u)).body;
    expect(during).toEqual({ status: 'searching', queue_size: before.queue_size + 1 });

    const left = await api(roulette, 'DELETE', `${R}/search`, { token: u.token });
    expect(left).toEqual({ status: 200, body: { status: 'idle' }, headers: expect.any(Headers) });
    expect((await status(u)).body).toEqual({ status: 'idle', queue_size: before.queue_size });
    // Idle already: still idle.
    expect((await api(roulette, 'DELETE', `${R}/search`, { token: u.token })).body).toEqual({ status: 'idle' });
  });

  it('skip tells the partner, closes the chat, and the pair is not matched again at once', async () => {
    const [a, b, c] = [await registerUser(auth), await registerUser(auth), await registerUser(auth)];
    const chatId = await pair(a, b);
    const chatEvents = await collectEvents(nc, subjects.chatEvents(chatId));

    const skipped = await api(roulette, 'POST', `${R}/${chatId}/skip`, { token: b.token });
    expect(skipped).toEqual({ status: 200, body: { status: 'idle' }, headers: expect.any(Headers) });
    await chatEvents.waitFor(1);
    expect(chatEvents.events[0]!.body).toMatchObject({
      type: 'chatroulette_left',
      chat_id: chatId,
      payload: { user_id: b.id, username: b.username },
      seq: expect.any(Number),
    });
    expect((await post(a, chatId, 'still there?')).status).toBe(409);
    expect((await status(a)).body.status).toBe('idle');

    // Skipping again changes nothing.
    expect((await api(roulette, 'POST', `${R}/${chatId}/skip`, { token: a.token })).body).toEqual({ status: 'idle' });
    await sleep(200);
    expect(chatEvents.events).toHaveLength(1);

    // The pair searches again: both wait; a third user takes the longest-waiting one.
    expect((await search(a)).status).toBe(202);
    expect((await search(b)).status).toBe(202);
    await sleep(300); // the periodic matcher must not pair them either
    expect((await status(a)).body.status).toBe('searching');
    const third = await search(c);
    expect(third.status).toBe(200);
    expect(third.body.user.id).toBe(a.id);
    expect((await status(b)).body.status).toBe('searching');
    await api(roulette, 'DELETE', `${R}/search`, { token: b.token });
    chatEvents.stop();
  });

  it('skip with requeue answers the next search result', async () => {
    const [a, b, c] = [await registerUser(auth), await registerUser(auth), await registerUser(auth)];
    const chatId = await pair(a, b);
    expect((await search(c)).status).toBe(202);
    const res = await api(roulette, 'POST', `${R}/${chatId}/skip`, { token: a.token, body: { requeue: true } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'matched', chat_id: expect.any(String), user: publicUser(c) });
    expect(res.body.chat_id).not.toBe(chatId);
    expect((await status(b)).body.status).toBe('idle');
  });

  it('save keeps the chat open after a skip; saving twice is 409', async () => {
    const [a, b] = [await registerUser(auth), await registerUser(auth)];
    const chatId = await pair(a, b);
    const saved = await api(roulette, 'POST', `${R}/${chatId}/save`, { token: a.token });
    expect(saved.status).toBe(200);
    expect(saved.body.chat).toMatchObject({ id: chatId, type: 'saved' });
    const twice = await api(roulette, 'POST', `${R}/${chatId}/save`, { token: b.token });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toEqual(expect.any(String));

    const chatEvents = await collectEvents(nc, subjects.chatEvents(chatId));
    expect((await api(roulette, 'POST', `${R}/${chatId}/skip`, { token: a.token })).status).toBe(200);
    await chatEvents.waitFor(1);
    expect(chatEvents.events[0]!.body.type).toBe('chatroulette_left');
    expect((await post(b, chatId, 'kept')).status).toBe(201);
    expect((await status(b)).body.status).toBe('idle');
    chatEvents.stop();
  });

  it('refuses bad input with 4xx {error} and changes nothing', async () => {
    const [a, b, outsider] = [await registerUser(auth), await registerUser(auth), await registerUser(auth)];
    for (const body of [
      { interests: 'music' },
      { interests: [1] },
      { interests: [''] },
      { interests: ['x'.repeat(33)] },
      { interests: Array.from({ length: 11 }, (_, i) => `i${i}`) },
      [1, 2],
    ]) {
      const res = await search(a, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toEqual(expect.any(String));
    }
    expect((await api(roulette, 'POST', `${R}/search`, { token: a.token, raw: '{bad' })).status).toBe(400);
    expect((await status(a)).body.status).toBe('idle');
    expect((await api(roulette, 'POST', `${R}/search`)).status).toBe(401);
    expect((await api(roulette, 'GET', `${R}/status`, { token: 'nope' })).status).toBe(401);

    // Interests are normalised: " Music " and "music" are one interest.
    expect((await search(a, { interests: [' Music '] })).status).toBe(202);
    const withInterest = await search(b, { interests: ['MUSIC'] });
    expect(withInterest.status).toBe(200);
    const chatId = withInterest.body.chat_id;

    expect((await api(roulette, 'POST', `${R}/not-a-uuid/skip`, { token: a.token })).status).toBe(400);
    expect((await api(roulette, 'POST', `${R}/not-a-uuid/save`, { token: a.token })).status).toBe(400);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await api(roulette, 'POST', `${R}/${unknown}/skip`, { token: a.token })).status).toBe(404);
    const priv = await api(messages, 'POST', '/api/v1/chats', {
      token: a.token,
      body: { type: 'private', participant_ids: [b.id] },
    });
    expect(priv.status).toBe(201);
    const nonRoulette = await api(roulette, 'POST', `${R}/${priv.body.id}/skip`, { token: a.token });
    expect(nonRoulette.status).toBe(404);
    expect(nonRoulette.body.error).toEqual(expect.any(String));
    expect((await api(roulette, 'POST', `${R}/${priv.body.id}/save`, { token: a.token })).status).toBe(404);
    const notMine = await api(roulette, 'POST', `${R}/${chatId}/skip`, { token: outsider.token });
    expect(notMine.status).toBe(403);
    expect((await api(roulette, 'POST', `${R}/${chatId}/save`, { token: outsider.token })).status).toBe(403);
    expect((await api(roulette, 'POST', `${R}/${chatId}/skip`, { token: a.token, body: { requeue: 'yes' } })).status).toBe(400);

    // Nothing changed: still matched, the chat still open.
    expect((await status(a)).body).toMatchObject({ status: 'matched', chat_id: chatId });
    expect((await post(b, chatId, 'still here')).status).toBe(201);
  });

  it('prefers a user sharing an interest, and pairs anyone after the interest wait', async () => {
    const [a, b, c] = [await registerUser(auth), await registerUser(auth), await registerUser(auth)];
    expect((await search(a)).status).toBe(202);
    expect((await search(b, { interests: ['chess'] })).status).toBe(202);
    const res = await search(c, { interests: ['Chess', 'go'] });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(b.id);
    // a (no interests) waits; d with an interest nobody shares waits too, until the interest wait (5 s) passes.
    const d = await registerUser(auth);
    expect((await search(d, { interests: ['knitting'] })).status).toBe(202);
    const st = await pollUntil(() => status(d), (s) => s.body.status === 'matched', 8000);
    expect(st.body.user.id).toBe(a.id);
  });
});
