import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { createSubjects } from '@chatroulette/contracts';
import { api, collectEvents, registerUser, sleep, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';

// Messages runs as its own process, as `npm start` would run it, so that it can die mid-send.
const scope = testScope('messages-relay');
const subjects = createSubjects(scope.namespace);
let stack: Stack;
let authBase: string;
let nc: NatsConnection;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth'] });
  authBase = stack.get('auth').url;
  nc = await connect({ servers: scope.natsUrl });
});
afterAll(async () => {
  await nc?.drain();
  await stack?.destroy();
});

describe('the outbox relay', () => {
  it('publishes, exactly once, an event whose publish a crash skipped', async () => {
    const alice: TestUser = await registerUser(authBase);
    const bob: TestUser = await registerUser(authBase);

    // Its exit (137) is the point: not echoed as a failure.
    const faulty = await stack.start({ service: 'messages', run: 'process', env: { FAULT_EXIT_AFTER_COMMIT: '1' }, process: { echo: 'never' } });
    const crashing = stack.process('messages');
    const chat = await api(faulty.url, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } });
    expect(chat.status).toBe(201);
    const chatId: string = chat.body.id;
    const published = await collectEvents(nc, subjects.chatEvents(chatId));

    // The process dies between the commit and the publish: no answer, no event.
    await expect(
      api(faulty.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: alice.token, body: { type: 'text', content: 'survivor' } }),
    ).rejects.toThrow();
    expect((await crashing.waitExit()).code).toBe(137);
    await faulty.stop(); // gone: out of the stack
    await sleep(1500);
    expect(published.events).toHaveLength(0);

    const healthy = await stack.start({ service: 'messages', run: 'process' });
    const seen = await published.waitFor(1, 10_000);
    expect(seen[0]!.body).toMatchObject({ type: 'new_message', chat_id: chatId, seq: 1, payload: { content: 'survivor', user_id: alice.id } });
    expect(seen[0]!.headers).toMatchObject({ 'Chat-Seq': '1', 'Msg-Author': alice.id, 'Nats-Msg-Id': `${chatId}:1` });
    await sleep(1500);
    expect(published.events).toHaveLength(1);

    const history = await api(healthy.url, 'GET', `/api/v1/chats/${chatId}/messages`, { token: bob.token });
    expect(history.body).toEqual([seen[0]!.body.payload]);
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(subjects.chatEventsStream);
    expect(info.state.messages).toBe(1);

    // A live send on the restarted process continues the sequence.
    const next = await api(healthy.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: bob.token, body: { type: 'text', content: 'next' } });
    expect(next.status).toBe(201);
    await published.waitFor(2);
    expect(published.events[1]!.body.seq).toBe(2);

    const restarted = stack.process('messages');
    restarted.kill('SIGTERM');
    expect((await restarted.waitExit()).code).toBe(0);
  });
});
