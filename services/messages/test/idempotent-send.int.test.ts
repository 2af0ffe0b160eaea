import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { createSubjects } from '@chatroulette/contracts';
import { api, collectEvents, registerUser, sleep, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';

const scope = testScope('messages-idempotent');
const subjects = createSubjects(scope.namespace);
let stack: Stack;
let nc: NatsConnection;
let one: string;
let two: string;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages', 'messages'] });
  [one, two] = stack.all('messages').map((m) => m.url) as [string, string];
  nc = await connect({ servers: scope.natsUrl });
  const auth = stack.get('auth').url;
  [alice, bob] = await Promise.all([registerUser(auth), registerUser(auth)]);
});
afterAll(async () => {
  await nc?.drain();
  await stack?.destroy();
});

const newChat = async () =>
  (await api(one, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } })).body.id as string;
const post = (base: string, user: TestUser, chatId: string, body: unknown) =>
  api(base, 'POST', `/api/v1/chats/${chatId}/messages`, { token: user.token, body });

describe('sends with client_message_id', () => {
  it('stores a retried send once, answers the first message again, and emits one event', async () => {
    const chatId = await newChat();
    const published = await collectEvents(nc, subjects.chatEvents(chatId));
    const body = { type: 'text', content: 'once', client_message_id: 'c-1' };
    const first = await post(one, alice, chatId, body);
    const again = await post(two, alice, chatId, body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);

    // The same key from another user, or another key, is another message.
    expect((await post(one, bob, chatId, body)).body.id).not.toBe(first.body.id);
    expect((await post(one, alice, chatId, { ...body, client_message_id: 'c-2' })).body.id).not.toBe(first.body.id);

    await published.waitFor(3);
    await sleep(300);
    expect(published.events.map((e) => e.body.seq)).toEqual([1, 2, 3]);
    const history = await api(one, 'GET', `/api/v1/chats/${chatId}/messages`, { token: alice.token });
    expect(history.body.filter((m: { id: string }) => m.id === first.body.id)).toHaveLength(1);
    expect(history.body).toHaveLength(3);
  });

  it('stores one message when the same send races through two instances', async () => {
    const chatId = await newChat();
    const published = await collectEvents(nc, subjects.chatEvents(chatId));
    const body = { type: 'text', content: 'race', client_message_id: 'race-1' };
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => post(i % 2 ? two : one, alice, chatId, body)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    await published.waitFor(1);
    await sleep(300);
    expect(published.events).toHaveLength(1);
    expect((await api(one, 'GET', `/api/v1/chats/${chatId}`, { token: alice.token })).body.last_seq).toBe(1);
  });

  it('refuses a malformed client_message_id with 400 and stores nothing', async () => {
    const chatId = await newChat();
    for (const client_message_id of ['', 'x'.repeat(101), 42]) {
      expect((await post(one, alice, chatId, { type: 'text', content: 'x', client_message_id })).status).toBe(400);
    }
    expect((await api(one, 'GET', `/api/v1/chats/${chatId}`, { token: alice.token })).body.last_seq).toBe(0);
  });
});
