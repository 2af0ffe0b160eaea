import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createChat, registerUser, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';

// The contract's "Chat list extras", through the gateway: each chat of GET /chats and
// GET /chats/{id} has the caller's unread_count and the last live message, which follow sends,
// reads, edits and deletes.
const scope = testScope('e2e-chat-list-extras');
const PASSWORD = 'correct horse battery';
let stack: Stack;
let gw: string;
let ann: TestUser;
let bob: TestUser;
let carol: TestUser;
let withBob: string;
let withCarol: string;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages', 'gateway'] });
  gw = stack.get('gateway').url;
  [ann, bob, carol] = await Promise.all([registerUser(gw, 'ann', PASSWORD), registerUser(gw, 'bob', PASSWORD), registerUser(gw, 'carol', PASSWORD)]);
  withBob = await createChat(gw, ann, [bob]);
  withCarol = await createChat(gw, ann, [carol]);
});
afterAll(() => stack?.destroy());

const send = async (user: TestUser, chatId: string, content: string) => {
  const res = await api(gw, 'POST', `/api/v1/chats/${chatId}/messages`, { token: user.token, body: { type: 'text', content } });
  expect(res.status).toBe(201);
  return res.body as { id: string };
};

/** The chat as `user` sees it, in the list and alone: both must agree. */
async function seen(user: TestUser, chatId: string) {
  const [list, one] = await Promise.all([api(gw, 'GET', '/api/v1/chats', { token: user.token }), api(gw, 'GET', `/api/v1/chats/${chatId}`, { token: user.token })]);
  expect(list.status).toBe(200);
  expect(one.status).toBe(200);
  const inList = (list.body as { id: string }[]).find((c) => c.id === chatId);
  expect(inList).toEqual(one.body);
  return one.body as { unread_count: number; last_message: Record<string, any> | null };
}

describe('unread_count and last_message', () => {
  it('start at 0 and null', async () => {
    expect(await seen(ann, withBob)).toMatchObject({ unread_count: 0, last_message: null });
    expect(await seen(bob, withBob)).toMatchObject({ unread_count: 0, last_message: null });
  });

  it('follow sends, reads, edits and deletes', async () => {
    const [b1, b2, b3] = [await send(bob, withBob, 'b1'), await send(bob, withBob, 'b2'), await send(bob, withBob, 'b3')];
    let annView = await seen(ann, withBob);
    expect(annView.unread_count).toBe(3);
    // The message object, as the history gives it.
    const history = await api(gw, 'GET', `/api/v1/chats/${withBob}/messages`, { token: ann.token });
    expect(annView.last_message).toEqual(history.body.at(-1));
    expect(annView.last_message).toMatchObject({ id: b3.id, content: 'b3', user: { id: bob.id, username: bob.username } });
    // One's own messages are never unread.
    expect(await seen(bob, withBob)).toMatchObject({ unread_count: 0, last_message: { id: b3.id } });

    const a1 = await send(ann, withBob, 'a1');
    expect(await seen(ann, withBob)).toMatchObject({ unread_count: 3, last_message: { id: a1.id, user: { id: ann.id } } });
    expect((await seen(bob, withBob)).unread_count).toBe(1);

    // Reads: each one once, and only the reader's count.
    expect((await api(gw, 'PUT', `/api/v1/messages/${b2.id}/read`, { token: ann.token })).status).toBe(200);
    expect((await api(gw, 'PUT', `/api/v1/messages/${b2.id}/read`, { token: ann.token })).status).toBe(200);
    expect((await seen(ann, withBob)).unread_count).toBe(2);
    expect((await seen(bob, withBob)).unread_count).toBe(1);
    expect((await api(gw, 'PUT', `/api/v1/messages/${a1.id}/read`, { token: bob.token })).status).toBe(200);
    expect(await seen(bob, withBob)).toMatchObject({ unread_count: 0, last_message: { id: a1.id, status: 'read', read_by: [bob.id] } });

    // An edit of the last message shows in it; an edit of another changes nothing here.
    expect((await api(gw, 'PUT', `/api/v1/messages/${a1.id}/edit`, { token: ann.token, body: { content: 'a1, edited' } })).status).toBe(200);
    expect((await api(gw, 'PUT', `/api/v1/messages/${b3.id}/edit`, { token: bob.token, body: { content: 'b3, edited' } })).status).toBe(200);
    annView = await seen(ann, withBob);
    expect(annView.last_message).toMatchObject({ id: a1.id, content: 'a1, edited', is_edited: true, status: 'edited' });
    expect(annView.last_message!.edited_at).toEqual(expect.any(String));
    expect(annView.unread_count).toBe(2);

    // A deleted message is neither unread nor the last one: the one before it is.
    expect((await api(gw, 'DELETE', `/api/v1/messages/${b1.id}`, { token: bob.token })).status).toBe(200);
    expect((await seen(ann, withBob)).unread_count).toBe(1);
    expect((await api(gw, 'DELETE', `/api/v1/messages/${a1.id}`, { token: ann.token })).status).toBe(200);
    expect(await seen(ann, withBob)).toMatchObject({ unread_count: 1, last_message: { id: b3.id, content: 'b3, edited' } });
    expect(await seen(bob, withBob)).toMatchObject({ unread_count: 0, last_message: { id: b3.id } });
    expect((await api(gw, 'DELETE', `/api/v1/messages/${b2.id}`, { token: bob.token })).status).toBe(200);
    expect((await api(gw, 'DELETE', `/api/v1/messages/${b3.id}`, { token: bob.token })).status).toBe(200);
    expect(await seen(ann, withBob)).toMatchObject({ unread_count: 0, last_message: null });
  });

  it('are counted per chat of the page, and a legacy token gets them too', async () => {
    await send(carol, withCarol, 'c1');
    const c2 = await send(carol, withCarol, 'c2');
    await send(bob, withBob, 'b4');
    const list = await api(gw, 'GET', '/api/v1/chats', { token: ann.token });
    const byId = new Map((list.body as { id: string; unread_count: number; last_message: { content: string } | null }[]).map((c) => [c.id, c]));
    expect(byId.get(withCarol)).toMatchObject({ unread_count: 2, last_message: { id: c2.id, content: 'c2' } });
    expect(byId.get(withBob)).toMatchObject({ unread_count: 1, last_message: { content: 'b4' } });

    const legacy = (await api(gw, 'POST', '/api/v1/login', { body: { username: ann.username, password: PASSWORD } })).body.token as string;
    const page = await api(gw, 'GET', '/api/v1/chats?page=1&limit=20', { token: legacy });
    expect(page.status).toBe(200);
    expect(page.body.chats.map((c: { id: string }) => c.id)).toEqual([withBob, withCarol]);
    expect(page.body.chats[1]).toMatchObject({ unread_count: 2, last_message: { id: c2.id } });
  });
});
