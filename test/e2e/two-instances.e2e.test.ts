import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, openSocket, registerUser, startStack, testScope, type Instance, type Stack, type TestUser } from '@chatroulette/testing';

const scope = testScope('e2e-two-instances');
let stack: Stack;
let gw1: Instance;
let gw2: Instance;
let a: TestUser;
let b: TestUser;

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    instances: [
      'auth',
      'messages',
      'messages',
      // Each gateway talks to a different messages instance, so both instances write and publish.
      { service: 'gateway', upstreams: { messages: [0] } },
      { service: 'gateway', upstreams: { messages: [1] } },
    ],
  });
  [gw1, gw2] = stack.all('gateway') as [Instance, Instance];
  [a, b] = await Promise.all([registerUser(gw1.url, 'ann'), registerUser(gw2.url, 'bob')]);
});
afterAll(() => stack?.destroy());

describe('two gateways and two messages instances', () => {
  it('brings every event to every socket once, in one order', async () => {
    const created = await api(gw1.url, 'POST', '/api/v1/chats', { token: a.token, body: { type: 'private', participant_ids: [b.id] } });
    expect(created.status).toBe(201);
    const chatId = created.body.id;
    const sockets = await Promise.all([
      openSocket(gw1.url, { token: a.token, chat_id: chatId }),
      openSocket(gw2.url, { token: a.token, chat_id: chatId }),
      openSocket(gw1.url, { token: b.token, chat_id: chatId }),
      openSocket(gw2.url, { token: b.token, chat_id: chatId }),
    ]);

    const sends = Array.from({ length: 40 }, (_, i) =>
      api(i % 2 ? gw2.url : gw1.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: (i % 3 ? a : b).token, body: { type: 'text', content: `m${i}` } }),
    );
    expect((await Promise.all(sends)).every((r) => r.status === 201)).toBe(true);
    const history = await api(gw2.url, 'GET', `/api/v1/chats/${chatId}/messages?limit=100`, { token: b.token });
    const order = history.body.map((m: { id: string }) => m.id);

    const reference = await sockets[0]!.waitFor((f) => f.type === 'new_message', 40);
    for (const s of sockets) {
      await s.waitFor((f) => f.type === 'new_message', 40);
      // Let late duplicates, if any, arrive before counting.
      await new Promise((r) => setTimeout(r, 300));
      const ids = s.ofType('new_message').map((f) => f.payload.id);
      expect(ids).toEqual(order);
      const seqs = s.frames.filter((f) => typeof f.seq === 'number').map((f) => f.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      expect(s.frames.filter((f) => f.seq).map((f) => f.seq)).toEqual(sockets[0]!.frames.filter((f) => f.seq).map((f) => f.seq));
    }
    expect(reference).toHaveLength(40);
    for (const s of sockets) s.close();
  });
});
