import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, registerUser, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';

const scope = testScope('messages-chats');
let stack: Stack;
let base: string;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages'] });
  base = stack.get('messages').url;
  const auth = stack.get('auth').url;
  [alice, bob, carol] = await Promise.all([registerUser(auth), registerUser(auth), registerUser(auth)]);
});
afterAll(async () => {
  await stack?.destroy();
});

const createChat = (user: TestUser, body: unknown) => api(base, 'POST', '/api/v1/chats', { token: user.token, body });
const missing = '00000000-0000-4000-8000-000000000000';

describe('POST /api/v1/chats', () => {
  it('creates a private chat of the caller and the listed users, duplicates removed', async () => {
    const res = await createChat(alice, { type: 'private', participant_ids: [bob.id, bob.id, alice.id] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'private', status: 'open', created_by: alice.id, last_seq: 0 });
    expect(res.body.created_at).toMatch(/Z$/);
    expect(res.body.participants).toEqual(
      expect.arrayContaining([
        { user_id: alice.id, username: alice.username },
        { user_id: bob.id, username: bob.username },
      ]),
    );
    expect(res.body.participants).toHaveLength(2);
  });

  it('refuses unknown users, the caller alone and bad bodies with 400', async () => {
    const cases = [
      { type: 'private', participant_ids: [missing] },
      { type: 'private', participant_ids: [bob.id, missing] },
      { type: 'private', participant_ids: [alice.id] },
      { type: 'private', participant_ids: [] },
      { type: 'group', participant_ids: [bob.id] },
      { type: 'private', participant_ids: 'bob' },
      { type: 'private', participant_ids: ['not-a-uuid'] },
      null,
    ];
    for (const body of cases) {
      const res = await createChat(alice, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(typeof res.body.error).toBe('string');
    }
    const raw = await api(base, 'POST', '/api/v1/chats', { token: alice.token, raw: '{oops' });
    expect(raw.status).toBe(400);
    expect((await api(base, 'GET', '/api/v1/chats', { token: carol.token })).body).toEqual([]);
  });

  it('needs a token', async () => {
    expect((await api(base, 'POST', '/api/v1/chats', { body: { type: 'private', participant_ids: [bob.id] } })).status).toBe(401);
  });
});

describe('GET /api/v1/chats and /api/v1/chats/{id}', () => {
  it("lists the caller's chats, newest activity first", async () => {
    const first = (await createChat(bob, { type: 'private', participant_ids: [carol.id] })).body;
    const second = (await createChat(carol, { type: 'private', participant_ids: [bob.id] })).body;
    let list = (await api(base, 'GET', '/api/v1/chats', { token: carol.token })).body;
    expect(list.map((c: any) => c.id)).toEqual([second.id, first.id]);
    const sent = await api(base, 'POST', `/api/v1/chats/${first.id}/messages`, { token: bob.token, body: { type: 'text', content: 'up' } });
    expect(sent.status).toBe(201);
    list = (await api(base, 'GET', '/api/v1/chats', { token: carol.token })).body;
    expect(list.map((c: any) => c.id)).toEqual([first.id, second.id]);
    expect(list[0].participants).toEqual(
      expect.arrayContaining([
        { user_id: bob.id, username: bob.username },
        { user_id: carol.id, username: carol.username },
      ]),
    );
    expect((await api(base, 'GET', '/api/v1/chats', { token: alice.token })).body.map((c: any) => c.id)).not.toContain(first.id);
  });

  it('answers a chat with last_seq to participants, 403 to others, 404 when missing, 400 when malformed', async () => {
    const chat = (await createChat(alice, { type: 'private', participant_ids: [bob.id] })).body;
    await api(base, 'POST', `/api/v1/chats/${chat.id}/messages`, { token: alice.token, body: { type: 'text', content: 'a' } });
    await api(base, 'POST', `/api/v1/chats/${chat.id}/messages`, { token: bob.token, body: { type: 'text', content: 'b' } });
    const got = await api(base, 'GET', `/api/v1/chats/${chat.id}`, { token: bob.token });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: chat.id, type: 'private', created_by: alice.id, last_seq: 2 });
    expect(got.body.participants).toHaveLength(2);
    expect((await api(base, 'GET', `/api/v1/chats/${chat.id}`, { token: carol.token })).status).toBe(403);
    expect((await api(base, 'GET', `/api/v1/chats/${missing}`, { token: alice.token })).status).toBe(404);
    expect((await api(base, 'GET', '/api/v1/chats/xyz', { token: alice.token })).status).toBe(400);
  });
});
