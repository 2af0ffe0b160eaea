import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubjects } from '@chatroulette/contracts';
import { drainNats, type NatsConnection } from '@chatroulette/nats';
import { api, collectEvents, registerUser, sleep, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';
import { fastJobs } from './fast-jobs.js';
import { connectScopeNats } from './scope-nats.js';

const scope = testScope('roulette-concurrency');
const subjects = createSubjects(scope.namespace);
const USERS = 200;
let stack: Stack;
let nc: NatsConnection;
let auth: string;
let roulettes: string[];

beforeAll(async () => {
  stack = await startStack({ infra: scope, env: { roulette: fastJobs }, instances: ['auth', 'messages', 'roulette', 'roulette'] });
  nc = await connectScopeNats(scope, 'roulette-concurrency-test');
  auth = stack.get('auth').url;
  roulettes = stack.all('roulette').map((r) => r.url);
}, 60_000);
afterAll(async () => {
  if (nc) await drainNats(nc);
  await stack?.destroy();
});

describe('two roulette instances, 200 users searching at once', () => {
  it('puts every user in exactly one pair, with one chat per pair and one match event per user', { timeout: 90_000 }, async () => {
    const users: TestUser[] = [];
    for (let i = 0; i < USERS; i += 20) {
      users.push(...(await Promise.all(Array.from({ length: Math.min(20, USERS - i) }, () => registerUser(auth, 'c')))));
    }
    const byId = new Map(users.map((u) => [u.id, u]));
    const seen = await collectEvents(nc, subjects.allUserEvents);

    const started = Date.now();
    const answers = await Promise.all(
      users.map((u, i) =>
        api(roulettes[i % 2]!, 'POST', '/api/v1/chatroulette/search', { token: u.token }),
      ),
    );
    console.log(`200 searches answered in ${Date.now() - started} ms`);
    for (const a of answers) expect([200, 202]).toContain(a.status);

    await seen.waitFor(USERS, 30_000);
    await sleep(500); // no late duplicates
    expect(seen.events).toHaveLength(USERS);

    const partnerOf = new Map<string, { partner: string; chatId: string }>();
    for (const e of seen.events) {
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
    const st = await api(roulettes[1]!, 'GET', '/api/v1/chatroulette/status', { token: u.token });
    expect(st.body).toMatchObject({ status: 'matched', chat_id: partnerOf.get(u.id)!.chatId, queue_size: 0 });
    seen.stop();
  });
});
