import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_CLAIM } from '@chatroulette/tokens';
import { api, openSocket, pollUntil, registerUser, startStack, testScope, uniqueName, type Instance, type Stack, type TestUser } from '@chatroulette/testing';

// The original product's account, profile and chat routes, through the gateway (docs/contract.md,
// "Compatibility with the original product").
const scope = testScope('e2e-legacy-accounts');
let stack: Stack;
let gw: Instance;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages', 'roulette', 'gateway'] });
  gw = stack.get('gateway');
});
afterAll(() => stack?.destroy());

const PASSWORD = 'correct horse battery';
/** A JWT's payload (the original's clients read `user_id` from it). */
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

/** A user registered through the original's POST /api/v1/register. */
async function legacyUser(prefix = 'l'): Promise<TestUser> {
  const username = uniqueName(prefix);
  const res = await api(gw.url, 'POST', '/api/v1/register', { body: { username, password: PASSWORD } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.user.id, username, token: res.body.token };
}

describe('legacy register and login', () => {
  it('answer as ours, with user_id in every token and the legacy marker only in theirs', async () => {
    const username = uniqueName('lr');
    const reg = await api(gw.url, 'POST', '/api/v1/register', { body: { username, password: PASSWORD } });
    expect(reg.status).toBe(201);
    expect(Object.keys(reg.body).sort()).toEqual(['token', 'user']);
    expect(Object.keys(reg.body.user).sort()).toEqual(['created_at', 'id', 'username']);
    expect(claims(reg.body.token)).toMatchObject({ sub: reg.body.user.id, user_id: reg.body.user.id, [LEGACY_CLAIM]: true });

    const login = await api(gw.url, 'POST', '/api/v1/login', { body: { username, password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(Object.keys(login.body.user).sort()).toEqual(['id', 'is_online', 'last_seen', 'username']);
    expect(claims(login.body.token)).toMatchObject({ user_id: reg.body.user.id, [LEGACY_CLAIM]: true });

    const ours = await api(gw.url, 'POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } });
    expect(ours.status).toBe(200);
    expect(claims(ours.body.token)).toMatchObject({ sub: reg.body.user.id, user_id: reg.body.user.id });
    expect(claims(ours.body.token)).not.toHaveProperty(LEGACY_CLAIM);

    // A refreshed legacy token stays legacy (its client still reads the original's shapes).
    const refreshed = await api(gw.url, 'POST', '/api/v1/auth/refresh', { token: login.body.token });
    expect(refreshed.status).toBe(200);
    expect(claims(refreshed.body.token)).toMatchObject({ [LEGACY_CLAIM]: true });
  });

  it('follow the same rules: 400 invalid, 409 taken (any case), 401 wrong password', async () => {
    const u = await legacyUser('lrr');
    for (const body of [{ username: 'ab', password: PASSWORD }, { username: uniqueName('p'), password: 'short' }, {}]) {
      const res = await api(gw.url, 'POST', '/api/v1/register', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toEqual(expect.any(String));
    }
    const taken = await api(gw.url, 'POST', '/api/v1/register', { body: { username: u.username.toUpperCase(), password: PASSWORD } });
    expect(taken.status).toBe(409);
    const wrong = await api(gw.url, 'POST', '/api/v1/login', { body: { username: u.username, password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toEqual(expect.any(String));
  });
});

describe('legacy profile', () => {
  it('GET answers the original fields with the defaults; PUT takes profile_photo, birthday and the flags', async () => {
    const u = await legacyUser('lp');
    const first = await api(gw.url, 'GET', '/api/v1/profile', { token: u.token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      id: u.id, username: u.username, profile_photo: null, avatar_url: null, birthday: null,
      show_username: true, show_birthday: false, show_online_status: true,
    });
    const body = { profile_photo: 'https://cdn.example/me.png', birthday: '1990-04-01', show_username: false, show_birthday: true, show_online_status: false, bio: 'hi' };
    const put = await api(gw.url, 'PUT', '/api/v1/profile', { token: u.token, body });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ ...body, avatar_url: body.profile_photo });
    expect((await api(gw.url, 'GET', '/api/v1/profile', { token: u.token })).body).toEqual(put.body);
    // Our route: the same profile, its exact fields, profile_photo as avatar_url.
    const ours = await api(gw.url, 'GET', '/api/v1/auth/profile', { token: u.token });
    expect(Object.keys(ours.body).sort()).toEqual(['avatar_url', 'bio', 'created_at', 'display_name', 'id', 'is_online', 'last_seen', 'username']);
    expect(ours.body.avatar_url).toBe(body.profile_photo);
    // birthday: null clears it.
    const cleared = await api(gw.url, 'PUT', '/api/v1/profile', { token: u.token, body: { birthday: null } });
    expect(cleared.body).toMatchObject({ birthday: null, show_birthday: true });
  });

  it.each([
    ['an impossible date', { birthday: '2001-02-30' }],
    ['another date format', { birthday: '01.04.1990' }],
    ['a future birthday', { birthday: '2999-01-01' }],
    ['a non-boolean flag', { show_username: 'no' }],
    ['a javascript: photo', { profile_photo: 'javascript:alert(1)' }],
    ['profile_photo and avatar_url that differ', { profile_photo: 'https://a.example/1.png', avatar_url: 'https://a.example/2.png' }],
    ['an unknown field', { nickname: 'x' }],
  ])('PUT refuses %s with 400 and changes nothing', async (_name, body) => {
    const u = await legacyUser('lpb');
    const res = await api(gw.url, 'PUT', '/api/v1/profile', { token: u.token, body });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual(expect.any(String));
    expect((await api(gw.url, 'GET', '/api/v1/profile', { token: u.token })).body).toMatchObject({ birthday: null, show_username: true, profile_photo: null });
  });

  it('the public profile leaves out what its owner hides', async () => {
    const [viewer, owner] = [await registerUser(gw.url, 'pv'), await legacyUser('po')];
    const shown = await api(gw.url, 'GET', `/api/v1/users/${owner.id}/profile`, { token: viewer.token });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id: owner.id, username: owner.username, is_online: false, last_seen: null });
    expect(shown.body).not.toHaveProperty('birthday'); // hidden by default
    await api(gw.url, 'PUT', '/api/v1/profile', { token: owner.token, body: { birthday: '1990-04-01' } });
    expect((await api(gw.url, 'GET', `/api/v1/users/${owner.id}/profile`, { token: viewer.token })).body).not.toHaveProperty('birthday');

    await api(gw.url, 'PUT', '/api/v1/profile', { token: owner.token, body: { show_username: false, show_online_status: false, show_birthday: true } });
    const hidden = await api(gw.url, 'GET', `/api/v1/users/${owner.id}/profile`, { token: viewer.token });
    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({ id: owner.id, birthday: '1990-04-01' });
    for (const key of ['username', 'is_online', 'last_seen']) expect(hidden.body).not.toHaveProperty(key);
    // The owner still sees everything.
    expect((await api(gw.url, 'GET', '/api/v1/profile', { token: owner.token })).body).toMatchObject({ username: owner.username, is_online: false });
  });

  it('POST /profile/online answers the presence the sockets made, whatever the body claims', async () => {
    const u = await legacyUser('lo');
    const offline = await api(gw.url, 'POST', '/api/v1/profile/online', { token: u.token, body: { is_online: true } });
    expect(offline.status).toBe(200);
    expect(offline.body).toEqual({ is_online: false, last_seen: null, status_text: 'offline' });
    const socket = await openSocket(gw.url, { token: u.token });
    const online = await pollUntil(
      () => api(gw.url, 'POST', '/api/v1/profile/online', { token: u.token }),
      (r) => r.body?.is_online === true,
      10_000,
    );
    expect(online.body).toMatchObject({ is_online: true, status_text: 'online' });
    socket.close();
    expect((await api(gw.url, 'POST', '/api/v1/profile/online')).status).toBe(401);
  });
});

describe('legacy chats', () => {
  it('POST /chats {name, description, type} makes a chat of the caller alone; every chat has a name', async () => {
    const u = await legacyUser('lc');
    const res = await api(gw.url, 'POST', '/api/v1/chats', { token: u.token, body: { name: 'Study group', description: 'notes', type: 'private' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Study group', description: 'notes', type: 'private', created_by: u.id });
    expect(res.body.participants).toEqual([{ user_id: u.id, username: u.username }]);
    const other = await registerUser(gw.url, 'lco');
    const unnamed = await api(gw.url, 'POST', '/api/v1/chats', { token: other.token, body: { type: 'private', participant_ids: [u.id] } });
    expect(unnamed.status).toBe(201);
    expect(unnamed.body.name).toBe('');
    expect((await api(gw.url, 'GET', `/api/v1/chats/${res.body.id}`, { token: u.token })).body.name).toBe('Study group');
  });

  it.each([
    ['a missing name', { type: 'private' }],
    ['an empty name', { name: '   ', type: 'private' }],
    ['a name with "Chatroulette"', { name: 'my chatROULETTE room', type: 'private' }],
    ['a long name', { name: 'x'.repeat(101), type: 'private' }],
    ['a name with a newline', { name: 'a\nb', type: 'private' }],
    ['an unknown type', { name: 'ok', type: 'channel' }],
  ])('POST /chats refuses %s with 400', async (_name, body) => {
    const u = await legacyUser('lcb');
    const res = await api(gw.url, 'POST', '/api/v1/chats', { token: u.token, body });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual(expect.any(String));
    expect((await api(gw.url, 'GET', '/api/v1/chats', { token: u.token })).body.chats).toEqual([]);
  });

  it('refuses "Chatroulette" in a name given with participants too', async () => {
    const [a, b] = [await registerUser(gw.url, 'lcn'), await registerUser(gw.url, 'lcn')];
    const res = await api(gw.url, 'POST', '/api/v1/chats', { token: a.token, body: { type: 'private', participant_ids: [b.id], name: 'Chatroulette Chat' } });
    expect(res.status).toBe(400);
  });

  it('a legacy token gets {chats, page, limit}, most recently active first; our token our array on the same path', async () => {
    const username = uniqueName('ls');
    const reg = await api(gw.url, 'POST', '/api/v1/register', { body: { username, password: PASSWORD } });
    const legacyToken = (await api(gw.url, 'POST', '/api/v1/login', { body: { username, password: PASSWORD } })).body.token as string;
    const ourToken = (await api(gw.url, 'POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } })).body.token as string;
    const ids: string[] = [];
    for (const name of ['one', 'two', 'three']) {
      ids.push((await api(gw.url, 'POST', '/api/v1/chats', { token: reg.body.token, body: { name, type: 'private' } })).body.id);
    }
    // "one" becomes the most recently active.
    expect((await api(gw.url, 'POST', `/api/v1/chats/${ids[0]}/messages`, { token: ourToken, body: { type: 'text', content: 'bump' } })).status).toBe(201);
    const order = [ids[0], ids[2], ids[1]];

    const legacy = await api(gw.url, 'GET', '/api/v1/chats?page=1&limit=20', { token: legacyToken });
    expect(legacy.status).toBe(200);
    expect(Object.keys(legacy.body).sort()).toEqual(['chats', 'limit', 'page']);
    expect(legacy.body).toMatchObject({ page: 1, limit: 20 });
    expect(legacy.body.chats.map((c: any) => c.id)).toEqual(order);
    expect(legacy.body.chats.map((c: any) => c.name)).toEqual(['one', 'three', 'two']);
    const second = await api(gw.url, 'GET', '/api/v1/chats?page=2&limit=2', { token: legacyToken });
    expect(second.body).toEqual({ chats: [expect.objectContaining({ id: ids[1] })], page: 2, limit: 2 });
    expect((await api(gw.url, 'GET', '/api/v1/chats', { token: legacyToken })).body).toMatchObject({ page: 1, limit: 20 });

    const ours = await api(gw.url, 'GET', '/api/v1/chats', { token: ourToken });
    expect(Array.isArray(ours.body)).toBe(true);
    expect(ours.body.map((c: any) => c.id)).toEqual(order);
    expect(ours.body.every((c: any) => typeof c.name === 'string')).toBe(true);
  });

  it('a legacy token gets {messages, page, limit} newest first, page from 1; our token our array oldest first', async () => {
    const username = uniqueName('lm');
    const reg = await api(gw.url, 'POST', '/api/v1/register', { body: { username, password: PASSWORD } });
    const legacyToken = reg.body.token as string;
    const ourToken = (await api(gw.url, 'POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } })).body.token as string;
    const chatId = (await api(gw.url, 'POST', '/api/v1/chats', { token: legacyToken, body: { name: 'notes', type: 'private' } })).body.id;
    const sent: string[] = [];
    for (const content of ['m1', 'm2', 'm3']) {
      sent.push((await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: legacyToken, body: { type: 'text', content } })).body.id);
    }
    const page1 = await api(gw.url, 'GET', `/api/v1/chats/${chatId}/messages?page=1&limit=2`, { token: legacyToken });
    expect(page1.status).toBe(200);
    expect(Object.keys(page1.body).sort()).toEqual(['limit', 'messages', 'page']);
    expect(page1.body.messages.map((m: any) => m.content)).toEqual(['m3', 'm2']);
    expect(page1.body.messages[0]).toMatchObject({ id: sent[2], chat_id: chatId, user_id: reg.body.user.id, user: { id: reg.body.user.id } });
    const page2 = await api(gw.url, 'GET', `/api/v1/chats/${chatId}/messages?page=2&limit=2`, { token: legacyToken });
    expect(page2.body).toMatchObject({ page: 2, limit: 2 });
    expect(page2.body.messages.map((m: any) => m.content)).toEqual(['m1']);
    const defaults = await api(gw.url, 'GET', `/api/v1/chats/${chatId}/messages`, { token: legacyToken });
    expect(defaults.body).toMatchObject({ page: 1, limit: 50 });

    const ours = await api(gw.url, 'GET', `/api/v1/chats/${chatId}/messages?limit=2`, { token: ourToken });
    expect(ours.body.map((m: any) => m.content)).toEqual(['m2', 'm3']);
  });

  it('a list query meant for the other kind of token, or a bad page, is a clear 400', async () => {
    const username = uniqueName('lq');
    const reg = await api(gw.url, 'POST', '/api/v1/register', { body: { username, password: PASSWORD } });
    const legacyToken = reg.body.token as string;
    const ourToken = (await api(gw.url, 'POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } })).body.token as string;
    const chatId = (await api(gw.url, 'POST', '/api/v1/chats', { token: legacyToken, body: { name: 'q', type: 'private' } })).body.id;
    const cases: [string, string][] = [
      [ourToken, '/api/v1/chats?page=1&limit=20'],
      [ourToken, `/api/v1/chats/${chatId}/messages?page=1&limit=50`],
      [legacyToken, `/api/v1/chats/${chatId}/messages?offset=0`],
      [legacyToken, `/api/v1/chats/${chatId}/messages?page=1&before=${chatId}`],
      [legacyToken, '/api/v1/chats?page=0'],
      [legacyToken, '/api/v1/chats?page=1&limit=1000'],
      [legacyToken, `/api/v1/chats/${chatId}/messages?page=x`],
      [legacyToken, `/api/v1/chats/${chatId}/messages?limit=0`],
    ];
    for (const [token, path] of cases) {
      const res = await api(gw.url, 'GET', path, { token });
      expect(res.status, path).toBe(400);
      expect(res.body.error, path).toEqual(expect.any(String));
    }
    // Our routes answer ours, unchanged, for either token.
    expect((await api(gw.url, 'GET', `/api/v1/chats/${chatId}/messages?offset=0&limit=5`, { token: ourToken })).body).toEqual([]);
  });
});
