import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, registerUser, scrapeMetrics, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';

/**
 * Two messages instances on one database: each budget holds across both (a shared store; the
 * sends' one in the send statement), so a client spreading its requests over the instances gets
 * the configured budget, not twice it.
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
let gateway: string;
let alice: TestUser;
let bob: TestUser;
let chatId: string;
let messageIds: string[];

beforeAll(async () => {
  // The gateway sends its requests to both instances in turn.
  stack = await startStack({ infra: scope, env: { messages: budgets }, instances: ['auth', 'messages', 'messages', 'gateway'] });
  bases = stack.all('messages').map((i) => i.url);
  gateway = stack.get('gateway').url;
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

/** chatroulette_budget_refused_total{budget="sends"}, summed over both instances. */
async function refusedSends() {
  const scraped = await Promise.all(bases.map((b) => scrapeMetrics(b)));
  return scraped.reduce((sum, m) => sum + m.value('chatroulette_budget_refused_total', { budget: 'sends' }), 0);
}

describe('budgets across two messages instances', () => {
  it('sends through one gateway in front of both: the burst, then 429 (counted); a replay is still answered', async () => {
    const refusedBefore = await refusedSends();
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 14 }, (_, i) =>
        api(gateway, 'POST', `/api/v1/chats/${chatId}/messages`, { token: alice.token, body: { type: 'text', content: `a${i}`, client_message_id: `a${i}` } }),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    const stored = answers.filter((a) => a.status === 201);
    // The rule (1 a second, bursts of 6): 6 at once, and one more per second this took.
    expect(stored.length).toBeGreaterThanOrEqual(6);
    expect(stored.length).toBeLessThanOrEqual(6 + Math.floor(seconds));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(14 - stored.length);
    for (const r of refused) {
      expect(r.body).toMatchObject({ code: 'too_many_requests', error: 'Too many messages; retry later' });
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await refusedSends()) - refusedBefore).toBe(refused.length);
    // A retry of a stored send is answered (the same message), budget spent or not.
    const replay = await api(gateway, 'POST', `/api/v1/chats/${chatId}/messages`, {
      token: alice.token,
      body: { type: 'text', content: stored[0]!.body.content, client_message_id: stored[0]!.body.content },
    });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(stored[0]!.body.id);
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
