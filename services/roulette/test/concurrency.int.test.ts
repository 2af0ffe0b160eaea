import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, registerUser, sleep, testScope, type TestUser } from '@chatroulette/testing';
import { collect, startStack, type Stack } from './stack.js';

const scope = testScope('roulette-concurrency');
const USERS = 200;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack(scope, { instances: 2 });
}, 60_000);
afterAll(async () => {
  await stack?.destroy();
});

describe('two roulette instances, 200 users searching at once', () => {
  it('puts every user in exactly one pair, with one chat per pair and one match event per user', { timeout: 90_000 }, async () => {
    const users: TestUser[] = [];
    for (let i = 0; i < USERS; i += 20) {
      users.push(...(await Promise.all(Array.from({ length: Math.min(20, USERS - i) }, () => registerUser(stack.auth, 'c')))));
    }
    const byId = new Map(users.map((u) => [u.id, u]));
    const events = collect(stack.nc, stack.subjects.allUserEvents);

    const started = Date.now();
    const answers = await Promise.all(
      users.map((u, i) =>
        api(stack.roulettes[i % 2]!, 'POST', '/api/v1/chatroulette/search', { token: u.token }),
      ),
    );
    console.log(`200 searches answered in ${Date.now() - started} ms`);
    for (const a of answers) expect([200, 202]).toContain(a.status);

    await events.waitFor(USERS, 30_000);
    await sleep(500); // no late duplicates
    expect(events.items).toHaveLength(USERS);

    const partnerOf = new Map<string, { partner: string; chatId: string }>();
    for (const e of events.items) {
      const userId = e.subject.split('.').at(-2)!;
      expect(byId.has(userId)).toBe(true);
      expect(e.body.type).toBe('chatroulette_match');
      expect(partnerOf.has(userId)).toBe(false); // exactly one event per user
      partnerOf.set(userId, { partner: e.body.payload.user.id, chatId: e.body.chat_id });
    }
    expect(partnerOf.size).toBe(USERS);
    const chats = new Set<string>();
    for (const [userId, { partner, chatId }] of partnerOf) {
      expect(partner).not.toBe(userId);
      expect(partnerOf.get(partner)).toEqual({ partner: userId, chatId });
      chats.add(chatId);
    }
    expect(chats.size).toBe(USERS / 2);

    // What the searchers were told agrees with the events, and the status agrees too.
    answers.forEach((a, i) => {
      if (a.status === 200) expect(a.body.chat_id).toBe(partnerOf.get(users[i]!.id)!.chatId);
    });
    const u = users[7]!;
    const st = await api(stack.roulettes[1]!, 'GET', '/api/v1/chatroulette/status', { token: u.token });
    expect(st.body).toMatchObject({ status: 'matched', chat_id: partnerOf.get(u.id)!.chatId, queue_size: 0 });
    events.stop();
  });
});
