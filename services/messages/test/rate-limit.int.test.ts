import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, sleep, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';

const scope = testScope('messages-rate');
let stack: Stack;
let base: string;
let alice: TestUser;
let bob: TestUser;
let chatId: string;

beforeAll(async () => {
  const messages = { service: 'messages', env: { RATE_MESSAGES_PER_SECOND: '1', RATE_MESSAGES_BURST: '5' } } as const;
  stack = await startStack({ infra: scope, instances: ['auth', messages] });
  base = stack.get('messages').url;
  const auth = stack.get('auth').url;
  [alice, bob] = await Promise.all([registerUser(auth), registerUser(auth)]);
  const res = await fetch(`${base}/api/v1/chats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
    body: JSON.stringify({ type: 'private', participant_ids: [bob.id] }),
  });
  expect(res.status).toBe(201);
  chatId = ((await res.json()) as { id: string }).id;
});
afterAll(async () => {
  await stack?.destroy();
});

async function send(user: TestUser, content: string) {
  const res = await fetch(`${base}/api/v1/chats/${chatId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
    body: JSON.stringify({ type: 'text', content }),
  });
  return { status: res.status, body: (await res.json()) as any, retryAfter: res.headers.get('retry-after') };
}

describe('message send rate', () => {
  it('allows the burst, answers the rest 429 with Retry-After, stores none of them, and refills', async () => {
    const answers = await Promise.all(Array.from({ length: 9 }, (_, i) => send(alice, `burst ${i}`)));
    const ok = answers.filter((a) => a.status === 201);
    const limited = answers.filter((a) => a.status === 429);
    expect(ok).toHaveLength(5);
    expect(limited).toHaveLength(4);
    for (const l of limited) {
      expect(l.body).toEqual({ error: expect.any(String), code: 'too_many_requests', request_id: expect.any(String) });
      expect(l.retryAfter).toBe('1');
    }

    // Another user has a bucket of their own.
    expect((await send(bob, 'mine')).status).toBe(201);

    const history = await fetch(`${base}/api/v1/chats/${chatId}/messages?limit=100`, { headers: { authorization: `Bearer ${alice.token}` } });
    const stored = ((await history.json()) as { user_id: string }[]).filter((m) => m.user_id === alice.id);
    expect(stored).toHaveLength(5);

    await sleep(1100);
    expect((await send(alice, 'after a pause')).status).toBe(201);
  });
});
