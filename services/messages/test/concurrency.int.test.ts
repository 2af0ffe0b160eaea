import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, registerUser, sleep, testScope, type TestUser } from '@chatroulette/testing';
import { collect, messagesConfig, startMessages, startStack, type Stack } from './helpers.js';

const scope = testScope('messages-concurrency');
let stack: Stack;
let second: Awaited<ReturnType<typeof startMessages>>;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  stack = await startStack(scope);
  // A second instance on the same database and NATS namespace.
  second = await startMessages(messagesConfig(scope));
  [alice, bob] = await Promise.all([registerUser(stack.authBase), registerUser(stack.authBase)]);
});
afterAll(async () => {
  await second?.destroy();
  await stack?.destroy();
});

describe('concurrent sends', () => {
  it('30 messages at once by two users through two instances get seq 1..30 in history order', async () => {
    const chat = (await api(stack.base, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } })).body;
    const events = await collect(stack.nc, stack.subjects.chatEvents(chat.id));
    const bases = [stack.base, second.base];
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api(bases[i % 2]!, 'POST', `/api/v1/chats/${chat.id}/messages`, {
          token: (i % 3 === 0 ? alice : bob).token,
          body: { type: 'text', content: `m${i}` },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(201));

    await events.waitFor(30);
    await sleep(300);
    expect(events.seen).toHaveLength(30);
    const bySeq = [...events.seen].sort((a, b) => a.frame.seq - b.frame.seq);
    expect(bySeq.map((e) => e.frame.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(bySeq.every((e) => e.headers['Chat-Seq'] === String(e.frame.seq))).toBe(true);

    // History order is seq order: the history lists the messages exactly as the seqs number them.
    for (const base of bases) {
      const history = (await api(base, 'GET', `/api/v1/chats/${chat.id}/messages?limit=100`, { token: bob.token })).body;
      expect(history.map((m: any) => m.id)).toEqual(bySeq.map((e) => e.frame.payload.id));
      expect(history).toEqual(bySeq.map((e) => e.frame.payload));
    }
    const info = (await api(second.base, 'GET', `/api/v1/chats/${chat.id}`, { token: alice.token })).body;
    expect(info.last_seq).toBe(30);
  });

  it('mixed changes from both instances keep one contiguous sequence', async () => {
    const chat = (await api(second.base, 'POST', '/api/v1/chats', { token: bob.token, body: { type: 'private', participant_ids: [alice.id] } })).body;
    const events = await collect(stack.nc, stack.subjects.chatEvents(chat.id));
    const first = (await api(stack.base, 'POST', `/api/v1/chats/${chat.id}/messages`, { token: bob.token, body: { type: 'text', content: 'x' } })).body;
    const results = await Promise.all([
      api(stack.base, 'POST', `/api/v1/messages/${first.id}/like`, { token: alice.token }),
      api(second.base, 'PUT', `/api/v1/messages/${first.id}/read`, { token: alice.token }),
      api(second.base, 'PUT', `/api/v1/messages/${first.id}/edit`, { token: bob.token, body: { content: 'y' } }),
      api(stack.base, 'POST', `/api/v1/chats/${chat.id}/messages`, { token: alice.token, body: { type: 'text', content: 'z' } }),
      api(second.base, 'POST', `/api/v1/messages/${first.id}/like`, { token: bob.token }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 201, 200]);
    await events.waitFor(6);
    await sleep(300);
    expect(events.seen.map((e) => e.frame.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
