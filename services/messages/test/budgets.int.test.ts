import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, registerUser, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';

/**
 * Two messages instances on one database: each budget holds across both (a shared store), so a
 * client spreading its requests over the instances gets the configured budget, not twice it.
 */
const scope = testScope('messages-budgets');
const budgets = {
  RATE_MESSAGES_PER_SECOND: '1',
  RATE_MESSAGES_BURST: '6',
  RATE_EDITS_PER_MINUTE: '3',
  RATE_DELETES_PER_MINUTE: '2',
  RATE_LIKES_PER_MINUTE: '4',
  RATE_READS_PER_MINUTE: '3',
  RATE_CHATS_PER_MINUTE: '2',
};
let stack: Stack;
let bases: string[];
let alice: TestUser;
let bob: TestUser;
let chatId: string;
let messageIds: string[];

beforeAll(async () => {
  stack = await startStack({ infra: scope, env: { messages: budgets }, instances: ['auth', 'messages', 'messages'] });
  bases = stack.all('messages').map((i) => i.url);
  const auth = stack.get('auth').url;
  [alice, bob] = await Promise.all([registerUser(auth), registerUser(auth)]);
  const chat = await api(bases[0]!, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } });
  expect(chat.status).toBe(201);
  chatId = chat.body.id;
  // Bob's messages, sent one by one within his burst (6): alice acts on them below.
  messageIds = [];
  for (let i = 0; i < 6; i++) {
    const sent = await api(bases[i % 2]!, 'POST', `/api/v1/chats/${chatId}/messages`, { token: bob.token, body: { type: 'text', content: `m${i}` } });
    expect(sent.status).toBe(201);
    messageIds.push(sent.body.id);
  }
});
afterAll(async () => {
  await stack?.destroy();
});

/** `n` requests at once, alternating between the two instances: the statuses, sorted. */
async function across(n: number, request: (base: string, i: number) => Promise<{ status: number; headers: Headers }>) {
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => request(bases[i % 2]!, i)));
  for (const a of answers.filter((x) => x.status === 429)) expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  return answers.map((a) => a.status).sort();
}

const limited = (statuses: number[]) => statuses.filter((s) => s === 429).length;

describe('budgets across two messages instances', () => {
  it('sends: the burst across both instances, then 429', async () => {
    const statuses = await across(14, (base, i) => api(base, 'POST', `/api/v1/chats/${chatId}/messages`, { token: alice.token, body: { type: 'text', content: `a${i}` } }));
    expect(statuses.filter((s) => s === 201)).toHaveLength(6);
    expect(limited(statuses)).toBe(8);
  });

  it('chat creation', async () => {
    const statuses = await across(5, (base) => api(base, 'POST', '/api/v1/chats', { token: bob.token, body: { type: 'private', participant_ids: [alice.id] } }));
    expect(limited(statuses)).toBe(3);
  });

  it('reads', async () => {
    const statuses = await across(6, (base, i) => api(base, 'PUT', `/api/v1/messages/${messageIds[i]}/read`, { token: alice.token }));
    expect(limited(statuses)).toBe(3);
  });

  it('likes and unlikes share one budget', async () => {
    const statuses = await across(8, (base, i) => api(base, i < 4 ? 'POST' : 'DELETE', `/api/v1/messages/${messageIds[i % 4]}/like`, { token: alice.token }));
    expect(limited(statuses)).toBe(4);
  });

  it('edits and deletes', async () => {
    const edits = await across(6, (base, i) => api(base, 'PUT', `/api/v1/messages/${messageIds[i]}/edit`, { token: bob.token, body: { content: `edited ${i}` } }));
    expect(limited(edits)).toBe(3);
    const deletes = await across(5, (base, i) => api(base, 'DELETE', `/api/v1/messages/${messageIds[i]}`, { token: bob.token }));
    expect(limited(deletes)).toBe(3);
  });

  it('a budget is per user: another user still has all of theirs', async () => {
    expect((await api(bases[1]!, 'PUT', `/api/v1/messages/${messageIds[5]}/read`, { token: bob.token })).status).not.toBe(429);
  });
});
