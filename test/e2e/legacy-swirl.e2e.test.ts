import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, openSocket, pollUntil, sleep, startStack, testScope, uniqueName, type Instance, type Stack, type TestUser } from '@chatroulette/testing';

// The original product's roulette (/api/v1/swirl/*) and queue liveness, through the gateway.
const scope = testScope('e2e-legacy-swirl');
const IDLE_MS = 2000;
let stack: Stack;
let gw: Instance;

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    env: {
      roulette: {
        ROULETTE_IDLE_SEARCH_MS: String(IDLE_MS),
        ROULETTE_GRACE_MS: '600',
        ROULETTE_GRACE_LOOP_MS: '50',
        ROULETTE_MATCHER_LOOP_MS: '100',
      },
    },
    instances: ['auth', 'messages', 'roulette', 'gateway'],
  });
  gw = stack.get('gateway');
});
afterAll(() => stack?.destroy());

/** Every test leaves the queue empty, so nobody is matched with a user of another test. */
afterEach(async () => {
  const status = await pollUntil(() => queueSize(), (n) => n === 0, 10_000, 200);
  expect(status).toBe(0);
});

async function queueSize(): Promise<number> {
  const probe = await legacyUser('probe');
  return (await api(gw.url, 'GET', '/api/v1/swirl/status', { token: probe.token })).body.queue_size;
}

async function legacyUser(prefix = 's'): Promise<TestUser> {
  const username = uniqueName(prefix);
  const res = await api(gw.url, 'POST', '/api/v1/register', { body: { username, password: 'correct horse battery' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.user.id, username, token: res.body.token };
}

const find = (u: TestUser) => api(gw.url, 'GET', '/api/v1/swirl/find', { token: u.token });
const state = async (u: TestUser) => (await api(gw.url, 'GET', '/api/v1/chatroulette/status', { token: u.token })).body.status as string;

async function matchedPair() {
  const [a, b] = [await legacyUser('sa'), await legacyUser('sb')];
  expect((await find(a)).status).toBe(404);
  const matched = await find(b);
  expect(matched.status).toBe(200);
  return { a, b, chatId: matched.body.chat_id as string };
}

describe('/swirl/find', () => {
  it('answers 404 while nobody waits and keeps the caller in the queue; a second user finds the first, and the first then finds them', async () => {
    const [a, b] = [await legacyUser('fa'), await legacyUser('fb')];
    const alone = await find(a);
    expect(alone.status).toBe(404);
    expect(alone.body.error).toBe('No users available in search queue');
    expect(await state(a)).toBe('searching');
    const again = await find(a);
    expect(again.status).toBe(404);
    expect(await state(a)).toBe('searching');

    const matched = await find(b);
    expect(matched.status).toBe(200);
    expect(matched.body).toMatchObject({ user_id: a.id, username: a.username, chat_id: expect.any(String) });
    const back = await find(a);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ user_id: b.id, username: b.username, chat_id: matched.body.chat_id });
    const chat = await api(gw.url, 'GET', `/api/v1/chats/${matched.body.chat_id}`, { token: a.token });
    expect(chat.body).toMatchObject({ type: 'roulette', name: 'Chatroulette Chat' });
    expect(chat.body.participants.map((p: any) => p.user_id).sort()).toEqual([a.id, b.id].sort());
    await api(gw.url, 'POST', `/api/v1/swirl/${matched.body.chat_id}/skip`, { token: a.token });
  });

  it('needs a token', async () => {
    expect((await api(gw.url, 'GET', '/api/v1/swirl/find')).status).toBe(401);
  });
});

describe('/swirl/status, /activity and /clear', () => {
  it('status answers {queue_size, message}; activity {message}; clear ends only the caller\'s own search', async () => {
    const [a, b] = [await legacyUser('ca'), await legacyUser('cb')];
    expect((await find(a)).status).toBe(404);
    const status = await api(gw.url, 'GET', '/api/v1/swirl/status', { token: b.token });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ queue_size: 1, message: expect.any(String) });
    const activity = await api(gw.url, 'POST', '/api/v1/swirl/activity', { token: a.token });
    expect(activity.status).toBe(200);
    expect(activity.body.message).toEqual(expect.any(String));

    const othersClear = await api(gw.url, 'DELETE', '/api/v1/swirl/clear', { token: b.token });
    expect(othersClear.status).toBe(200);
    expect(othersClear.body.message).toEqual(expect.any(String));
    expect(await state(a)).toBe('searching');
    expect((await api(gw.url, 'GET', '/api/v1/swirl/status', { token: b.token })).body.queue_size).toBe(1);
    const own = await api(gw.url, 'DELETE', '/api/v1/swirl/clear', { token: a.token });
    expect(own.status).toBe(200);
    expect(await state(a)).toBe('idle');
  });
});

describe('/swirl/{chat_id}/save and /skip', () => {
  it('save answers {message, chat} and 409 the second time; skip {message} with no body and tells the partner', async () => {
    const { a, b, chatId } = await matchedPair();
    const inChat = await openSocket(gw.url, { token: b.token, chat_id: chatId });
    const saved = await api(gw.url, 'POST', `/api/v1/swirl/${chatId}/save`, { token: a.token });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ message: expect.any(String), chat: { id: chatId, type: 'saved', name: 'Saved Chat - Chatroulette Chat' } });
    const twice = await api(gw.url, 'POST', `/api/v1/swirl/${chatId}/save`, { token: b.token });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toEqual(expect.any(String));

    const skipped = await api(gw.url, 'POST', `/api/v1/swirl/${chatId}/skip`, { token: a.token });
    expect(skipped.status).toBe(200);
    expect(skipped.body.message).toEqual(expect.any(String));
    const [left] = await inChat.waitFor((f) => f.type === 'chatroulette_left');
    expect(left.payload).toEqual({ user_id: a.id, username: a.username });
    inChat.close();
    const list = await api(gw.url, 'GET', '/api/v1/chats?page=1&limit=20', { token: b.token });
    expect(list.body.chats).toEqual([expect.objectContaining({ id: chatId, type: 'saved', name: 'Saved Chat - Chatroulette Chat' })]);
  });

  it('the legacy list shows a live roulette chat as private and leaves it out once closed unsaved; ours keeps it', async () => {
    const { a, b, chatId } = await matchedPair();
    const live = await api(gw.url, 'GET', '/api/v1/chats', { token: a.token });
    expect(live.body.chats).toEqual([expect.objectContaining({ id: chatId, type: 'private', name: 'Chatroulette Chat' })]);
    expect((await api(gw.url, 'POST', `/api/v1/swirl/${chatId}/skip`, { token: b.token })).status).toBe(200);
    expect((await api(gw.url, 'GET', '/api/v1/chats', { token: a.token })).body.chats).toEqual([]);
    const ourToken = (await api(gw.url, 'POST', '/api/v1/auth/login', { body: { username: a.username, password: 'correct horse battery' } })).body.token;
    expect((await api(gw.url, 'GET', '/api/v1/chats', { token: ourToken })).body).toEqual([
      expect.objectContaining({ id: chatId, type: 'roulette', status: 'closed', name: 'Chatroulette Chat' }),
    ]);
  });

  it('refuses a chat of others (403), an unknown one (404) and a malformed id (400)', async () => {
    const { a, chatId } = await matchedPair();
    const stranger = await legacyUser('st');
    for (const verb of ['save', 'skip']) {
      expect((await api(gw.url, 'POST', `/api/v1/swirl/${chatId}/${verb}`, { token: stranger.token })).status).toBe(403);
      expect((await api(gw.url, 'POST', `/api/v1/swirl/00000000-0000-4000-8000-000000000000/${verb}`, { token: a.token })).status).toBe(404);
      const malformed = await api(gw.url, 'POST', `/api/v1/swirl/not-a-chat/${verb}`, { token: a.token });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toEqual(expect.any(String));
    }
    await api(gw.url, 'POST', `/api/v1/swirl/${chatId}/skip`, { token: a.token });
  });
});

describe('queue liveness without sockets', () => {
  it('takes out a searcher with no socket after the idle time, and never matches anyone with them', async () => {
    const ghost = await legacyUser('gh');
    expect((await find(ghost)).status).toBe(404);
    // Polled slowly: status has a per-user budget.
    const left = await pollUntil(() => state(ghost), (s) => s === 'idle', IDLE_MS * 5, 200);
    expect(left).toBe('idle');
    const real = await legacyUser('re');
    const res = await find(real);
    expect(res.status).toBe(404); // not matched with the ghost
    expect(await state(ghost)).toBe('idle');
    await api(gw.url, 'DELETE', '/api/v1/swirl/clear', { token: real.token });
  });

  it('keeps a searcher who calls activity (or find) in the queue past the idle time', async () => {
    const [polling, finding] = [await legacyUser('ac'), await legacyUser('fi')];
    // POST search (ours) over REST, then only activity calls.
    expect((await api(gw.url, 'POST', '/api/v1/chatroulette/search', { token: polling.token })).status).toBe(202);
    const until = Date.now() + IDLE_MS * 2;
    while (Date.now() < until) {
      expect((await api(gw.url, 'POST', '/api/v1/swirl/activity', { token: polling.token })).status).toBe(200);
      await sleep(IDLE_MS / 8);
    }
    expect(await state(polling)).toBe('searching');
    // A second searcher finds the one who stayed.
    const matched = await find(finding);
    expect(matched.status).toBe(200);
    expect(matched.body.user_id).toBe(polling.id);
    await api(gw.url, 'POST', `/api/v1/swirl/${matched.body.chat_id}/skip`, { token: finding.token });
  });

  it('keeps a searcher with an open socket past the idle time; they leave by the grace rule once it closes', async () => {
    const s = await legacyUser('so');
    const lobby = await openSocket(gw.url, { token: s.token });
    await pollUntil(() => api(gw.url, 'POST', '/api/v1/profile/online', { token: s.token }), (r) => r.body?.is_online === true, 10_000);
    expect((await find(s)).status).toBe(404);
    await sleep(IDLE_MS * 2);
    expect(await state(s)).toBe('searching');
    lobby.close();
    expect(await pollUntil(() => state(s), (v) => v === 'idle', 10_000, 200)).toBe('idle');
  });
});
