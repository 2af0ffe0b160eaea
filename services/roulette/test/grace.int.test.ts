import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubjects } from '@chatroulette/contracts';
import { drainNats, type NatsConnection } from '@chatroulette/nats';
import { api, collectEvents, pollUntil, registerUser, sleep, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';
import { fastJobs } from './fast-jobs.js';
import { connectScopeNats } from './scope-nats.js';

const scope = testScope('roulette-grace');
const subjects = createSubjects(scope.namespace);
const GRACE_MS = 300;
let stack: Stack;
let nc: NatsConnection;
let auth: string;
let messages: string;
let roulette: string;

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    env: {
      // The gateways this file makes up never send heartbeats: auth's sweep must not drop them mid-test.
      auth: { PRESENCE_SWEEP_MS: '60000' },
      roulette: { ...fastJobs, ROULETTE_GRACE_MS: String(GRACE_MS) },
    },
    instances: ['auth', 'messages', 'roulette'],
  });
  nc = await connectScopeNats(scope, 'roulette-grace-test');
  [auth, messages, roulette] = [stack.get('auth').url, stack.get('messages').url, stack.get('roulette').url];
});
afterAll(async () => {
  if (nc) await drainNats(nc);
  await stack?.destroy();
});

const R = '/api/v1/chatroulette';
const search = (u: TestUser) => api(roulette, 'POST', `${R}/search`, { token: u.token });
const status = (u: TestUser) => api(roulette, 'GET', `${R}/status`, { token: u.token });

/** What auth publishes when a user's first socket on any gateway opens or their last one anywhere closes. */
async function presence(u: TestUser, state: 'online' | 'offline') {
  const body = { user_id: u.id, username: u.username, is_online: state === 'online', last_seen: state === 'online' ? null : new Date().toISOString() };
  nc.publish(subjects.userPresence(u.id), JSON.stringify(body));
  await nc.flush();
}

async function pair(first: TestUser, second: TestUser): Promise<string> {
  expect((await search(first)).status).toBe(202);
  const res = await search(second);
  expect(res.status).toBe(200);
  return res.body.chat_id;
}

describe('leaving after the grace period', () => {
  it('a matched user gone past the grace has left: the partner gets chatroulette_left', async () => {
    const [a, b] = [await registerUser(auth, 'g'), await registerUser(auth, 'g')];
    await presence(a, 'online');
    await presence(b, 'online');
    const chatId = await pair(a, b);
    const chatEvents = await collectEvents(nc, subjects.chatEvents(chatId));

    await presence(a, 'offline');
    await sleep(GRACE_MS / 2);
    expect((await status(b)).body.status).toBe('matched'); // not before the grace ends
    await chatEvents.waitFor(1, 5000);
    expect(chatEvents.events[0]!.body).toMatchObject({
      type: 'chatroulette_left',
      chat_id: chatId,
      payload: { user_id: a.id, username: a.username },
    });
    expect((await status(b)).body.status).toBe('idle');
    expect((await status(a)).body.status).toBe('idle');
    const posted = await api(messages, 'POST', `/api/v1/chats/${chatId}/messages`, {
      token: b.token,
      body: { type: 'text', content: 'gone?' },
    });
    expect(posted.status).toBe(409);
    chatEvents.stop();
  });

  it('a user back online within the grace keeps the match', async () => {
    const [a, b] = [await registerUser(auth, 'g'), await registerUser(auth, 'g')];
    await presence(a, 'online');
    await presence(b, 'online');
    const chatId = await pair(a, b);
    const chatEvents = await collectEvents(nc, subjects.chatEvents(chatId));

    await presence(a, 'offline');
    await sleep(GRACE_MS / 3);
    await presence(a, 'online');
    await sleep(GRACE_MS * 3);
    expect(chatEvents.events).toHaveLength(0);
    expect((await status(b)).body).toMatchObject({ status: 'matched', chat_id: chatId });
    chatEvents.stop();
  });

  it('a user still online on another gateway keeps the match when one gateway reports offline', async () => {
    const [a, b] = [await registerUser(auth, 'g'), await registerUser(auth, 'g')];
    await presence(b, 'online');
    const chatId = await pair(a, b);
    // a has sockets on two gateways and one of them closes its last socket: that gateway says so, but
    // auth, which sees both, stays at online, and roulette listens to auth only.
    await presence(a, 'online');
    for (const gw of ['gw-1', 'gw-2']) {
      nc.publish(subjects.presence(a.id, 'online'), JSON.stringify({ user_id: a.id, gateway_id: gw, at: new Date().toISOString() }));
    }
    nc.publish(subjects.presence(a.id, 'offline'), JSON.stringify({ user_id: a.id, gateway_id: 'gw-1', at: new Date().toISOString() }));
    await nc.flush();
    await sleep(GRACE_MS * 4);
    expect((await status(b)).body).toMatchObject({ status: 'matched', chat_id: chatId });
  });

  it('a searching user gone past the grace leaves the queue', async () => {
    const u = await registerUser(auth, 'g');
    await presence(u, 'online');
    expect((await search(u)).status).toBe(202);
    await presence(u, 'offline');
    const st = await pollUntil(() => status(u), (s) => s.body.status === 'idle', 5000);
    expect(st.body.status).toBe('idle');
  });
});
