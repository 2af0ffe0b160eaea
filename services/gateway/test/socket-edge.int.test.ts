import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCodes } from '@chatroulette/contracts';
import { api, openSocket, pollUntil, refusedUpgrade, registerUser, startStack, testScope, type SocketClient, type Stack, type TestUser } from '@chatroulette/testing';
import { startGatewayWithStats } from './helpers.js';

/** The socket edge's caps (counts, not rates) and `since` replies at their edges. */
const scope = testScope('gateway-socket-edge');
let stack: Stack;
/** 2 sockets per user, 2 pending first-frame sockets per address, replays of at most 3 events. */
let gw: Awaited<ReturnType<typeof startGatewayWithStats>>;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages'] });
  gw = await startGatewayWithStats(stack, scope, {
    GATEWAY_MAX_SOCKETS_PER_USER: '2',
    GATEWAY_MAX_PENDING_AUTH_PER_ADDRESS: '2',
    GATEWAY_MAX_REPLAY_EVENTS: '3',
  });
  [alice, bob, carol] = await Promise.all([registerUser(gw.url), registerUser(gw.url), registerUser(gw.url)]);
});

afterAll(async () => {
  await gw?.stop();
  await stack?.destroy();
});

/** Closes the sockets and waits until the gateway has run their close handlers. */
async function closeAll(sockets: SocketClient[]) {
  const before = gw.service.stats().sockets;
  await Promise.all(sockets.map((s) => s.closeAndWait()));
  await pollUntil(async () => gw.service.stats().sockets, (n) => n <= before - sockets.length);
}

describe('sockets per user (GATEWAY_MAX_SOCKETS_PER_USER)', () => {
  it('refuses the upgrade past the cap with 429, for that user only, until one closes', async () => {
    const two = [await openSocket(gw.url, { token: alice.token }), await openSocket(gw.url, { token: alice.token })];
    const third = await refusedUpgrade(gw.url, { token: alice.token });
    expect(third.status).toBe(429);
    expect(third.body).toEqual({ error: 'At most 2 sockets per user', code: 'too_many_requests' });
    const other = await openSocket(gw.url, { token: bob.token });
    await closeAll([two[0]!]);
    const again = await openSocket(gw.url, { token: alice.token });
    await closeAll([two[1]!, again, other]);
  });

  it('closes a first-frame socket over the cap with too_many_sockets and 1013', async () => {
    const two = [await openSocket(gw.url, { token: alice.token }), await openSocket(gw.url, { token: alice.token })];
    const c = await openSocket(gw.url, { auth: 'frame' });
    c.send({ type: 'auth', token: alice.token });
    expect((await c.next((f) => f.type === 'error')).payload.code).toBe('too_many_sockets');
    expect((await c.closed).code).toBe(closeCodes.tryAgainLater);
    await closeAll(two);
  });
});

describe('pending first-frame sockets per address (GATEWAY_MAX_PENDING_AUTH_PER_ADDRESS)', () => {
  it('refuses a first-frame upgrade with 429 while the address has 2 waiting, and lets one in once one is admitted', async () => {
    const waiting = [await openSocket(gw.url, { auth: 'frame' }), await openSocket(gw.url, { auth: 'frame' })];
    const over = await refusedUpgrade(gw.url, { auth: 'frame' });
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ code: 'too_many_requests' });
    // An upgrade with its token does not wait for a frame, and is not counted.
    const withToken = await openSocket(gw.url, { token: bob.token });
    waiting[0]!.send({ type: 'auth', token: carol.token });
    await waiting[0]!.next((f) => f.type === 'auth_ok');
    const next = await openSocket(gw.url, { auth: 'frame' });
    await closeAll([...waiting, withToken, next]);
    // Closed without an auth frame: their slots are back too.
    const after = [await openSocket(gw.url, { auth: 'frame' }), await openSocket(gw.url, { auth: 'frame' })];
    await closeAll(after);
  });
});

describe('since', () => {
  /** A chat with 5 messages sent while no socket is on it: seqs 1 to 5, all new_message. */
  async function chatOfFive(): Promise<{ chatId: string; last: number }> {
    const chat = await api(gw.url, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [carol.id] } });
    expect(chat.status).toBe(201);
    for (let i = 1; i <= 5; i++) {
      const sent = await api(gw.url, 'POST', `/api/v1/chats/${chat.body.id}/messages`, { token: alice.token, body: { type: 'text', content: `m${i}` } });
      expect(sent.status).toBe(201);
    }
    const last = (await api(gw.url, 'GET', `/api/v1/chats/${chat.body.id}`, { token: alice.token })).body.last_seq;
    expect(last).toBe(5);
    return { chatId: chat.body.id, last };
  }

  it('answers a since beyond the chat\'s last seq with recovered: false and the real last seq, then goes live', async () => {
    const { chatId, last } = await chatOfFive();
    const c = await openSocket(gw.url, { token: carol.token, chat_id: chatId, since: last + 50 });
    expect(await c.next((f) => f.type === 'recovery')).toEqual({ type: 'recovery', chat_id: chatId, payload: { recovered: false, seq: last } });
    const live = await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: alice.token, body: { type: 'text', content: 'live' } });
    expect(await c.next((f) => f.type === 'new_message')).toMatchObject({ seq: last + 1, payload: { id: live.body.id } });
    await closeAll([c]);
  });

  it('replays up to GATEWAY_MAX_REPLAY_EVENTS; further behind is recovered: false with the last seq and no replay', async () => {
    const { chatId, last } = await chatOfFive();
    const near = await openSocket(gw.url, { token: carol.token, chat_id: chatId, since: last - 3 });
    expect(await near.next((f) => f.type === 'recovery')).toEqual({ type: 'recovery', chat_id: chatId, payload: { recovered: true, seq: last } });
    expect(near.frames.filter((f) => f.type === 'new_message').map((f) => f.seq)).toEqual([last - 2, last - 1, last]);
    await closeAll([near]);

    const far = await openSocket(gw.url, { token: carol.token, chat_id: chatId, since: last - 4 });
    expect(await far.next((f) => f.type === 'recovery')).toEqual({ type: 'recovery', chat_id: chatId, payload: { recovered: false, seq: last } });
    expect(far.frames.filter((f) => f.type === 'new_message')).toEqual([]);
    await closeAll([far]);
  });
});

describe('bearer subprotocol', () => {
  it('never echoes the token: an offer of the bearer protocol alone is refused with 400, naming what to offer', async () => {
    const refused = await refusedUpgrade(gw.url, {}, { protocols: [`bearer.${bob.token}`] });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('beside bearer.<token>');
    expect(JSON.stringify(refused.body)).not.toContain(bob.token);
    const c = await openSocket(gw.url, {}, { protocols: ['chatroulette', `bearer.${bob.token}`] });
    expect(c.ws.protocol).toBe('chatroulette');
    await closeAll([c]);
  });
});
