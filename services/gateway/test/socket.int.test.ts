import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import type { Msg, Subscription } from 'nats';
import { closeCodes, limits, parsePresenceSubject, presenceEvent } from '@chatroulette/contracts';
import { api, registerUser, sleep, testScope, type TestUser } from '@chatroulette/testing';
import { generatePrivateKeyPem, loadSigningKey } from '@chatroulette/tokens';
import { closeClient, gatewayConfig, openSocket, refusedUpgrade, startGateway, startStack, tokenFor, type Stack } from './helpers.js';

const scope = testScope('gateway-socket');
let stack: Stack;
let gw: Awaited<ReturnType<typeof startGateway>>;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let chatId: string;

beforeAll(async () => {
  stack = await startStack(scope, { messages: true });
  gw = await startGateway(gatewayConfig(scope, { AUTH_URL: stack.authUrl, MESSAGES_URL: stack.messagesUrl! }));
  [alice, bob, carol] = await Promise.all([registerUser(gw.http), registerUser(gw.http), registerUser(gw.http)]);
  const chat = await api(gw.http, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } });
  expect(chat.status).toBe(201);
  chatId = chat.body.id;
});

afterAll(async () => {
  await gw?.gateway.destroy();
  await stack?.destroy();
});

describe('socket upgrade', () => {
  it('refuses missing, garbage, expired, alg-none and wrong-key tokens with 401 and a JSON error', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = jwt.sign({ username: alice.username, exp: now - 60, iat: now - 120 }, stack.key.privateKey, {
      algorithm: 'ES256',
      subject: alice.id,
      keyid: stack.key.kid,
    });
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: alice.id, username: alice.username, exp: now + 600 })}.`;
    const wrongKey = tokenFor(loadSigningKey(generatePrivateKeyPem()), alice, 600);
    for (const query of ['', '?token=', '?token=garbage', `?token=${expired}`, `?token=${algNone}`, `?token=${wrongKey}`]) {
      const res = await refusedUpgrade(`${gw.ws}${query}`);
      expect(res.status, query).toBe(401);
      expect(res.body.error).toEqual(expect.any(String));
    }
  });

  it('accepts a good token without chat_id, from the query or a bearer subprotocol (echoed back)', async () => {
    const a = await openSocket(`${gw.ws}?token=${alice.token}`);
    expect(a.ws.protocol).toBe('');
    const b = await openSocket(gw.ws, ['chatroulette', `bearer.${alice.token}`]);
    expect(b.ws.protocol).toBe('chatroulette');
    await closeClient(a);
    await closeClient(b);
  });

  it('refuses a malformed chat_id or since with 400, a non-member or unknown chat with 403, and lets a member in', async () => {
    expect((await refusedUpgrade(`${gw.ws}?token=${alice.token}&chat_id=nope`)).status).toBe(400);
    expect((await refusedUpgrade(`${gw.ws}?token=${alice.token}&chat_id=${chatId}&since=-3`)).status).toBe(400);
    const outsider = await refusedUpgrade(`${gw.ws}?token=${carol.token}&chat_id=${chatId}`);
    expect(outsider.status).toBe(403);
    expect(outsider.body.error).toEqual(expect.any(String));
    const unknown = await refusedUpgrade(`${gw.ws}?token=${alice.token}&chat_id=3f2b8c2e-1d4a-4c1e-9a61-2f5d7c9b0a11`);
    expect(unknown.status).toBe(403);
    const member = await openSocket(`${gw.ws}?token=${bob.token}&chat_id=${chatId}&chat_id=`);
    await closeClient(member);
    const empty = await openSocket(`${gw.ws}?token=${bob.token}&chat_id=`);
    await closeClient(empty);
  });
});

describe('socket protocol', () => {
  it('answers ping with pong, and malformed frames with error frames while the socket stays open', async () => {
    const c = await openSocket(`${gw.ws}?token=${alice.token}`);
    c.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await c.next((f) => f.type === 'pong')).toEqual({ type: 'pong' });
    c.ws.send('not json');
    expect(await c.next((f) => f.type === 'error')).toMatchObject({ payload: { code: 'invalid_json', message: expect.any(String) } });
    c.ws.send(JSON.stringify({ type: 'dance' }));
    expect(await c.next((f) => f.type === 'error')).toMatchObject({ payload: { code: 'unknown_type' } });
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await c.next((f) => f.type === 'error')).toMatchObject({ payload: { code: 'binary_not_supported' } });
    c.ws.send(JSON.stringify({ type: 'auth', token: 'garbage' }));
    expect(await c.next((f) => f.type === 'error')).toMatchObject({ payload: { code: 'invalid_token' } });
    c.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await c.next((f) => f.type === 'pong')).toEqual({ type: 'pong' });
    expect(c.ws.readyState).toBe(c.ws.OPEN);
    await closeClient(c);
  });

  it('closes with 1009 on a frame over the limit, and takes one at the limit', async () => {
    const c = await openSocket(`${gw.ws}?token=${alice.token}`);
    c.ws.send(`{"type":"ping","pad":"${'x'.repeat(limits.maxSocketFrameBytes - 30)}"}`);
    expect(await c.next((f) => f.type === 'pong')).toEqual({ type: 'pong' });
    c.ws.send('x'.repeat(limits.maxSocketFrameBytes + 1));
    const closed = await c.closed;
    expect(closed.code).toBe(closeCodes.tooLarge);
  });

  it('drops the connection on a frame far over the limit (uWS itself)', async () => {
    const c = await openSocket(`${gw.ws}?token=${alice.token}`);
    c.ws.send('x'.repeat(limits.maxSocketFrameBytes * 4 + 1));
    const closed = await c.closed;
    expect([closeCodes.tooLarge, 1006]).toContain(closed.code);
  });

  it('closes with 4401 when the token expires, unless an auth frame brought a fresh one', async () => {
    const shortB = tokenFor(stack.key, alice, 2);
    const lapsing = await Promise.all(Array.from({ length: 8 }, () => openSocket(`${gw.ws}?token=${tokenFor(stack.key, alice, 2)}`)));
    const refreshed = await openSocket(`${gw.ws}?token=${shortB}`);
    refreshed.ws.send(JSON.stringify({ type: 'auth', token: tokenFor(stack.key, alice, 600) }));
    expect(await refreshed.next((f) => f.type === 'auth_ok')).toMatchObject({ payload: { exp: expect.any(Number) } });
    refreshed.ws.send(JSON.stringify({ type: 'auth', token: tokenFor(stack.key, bob, 600) }));
    expect(await refreshed.next((f) => f.type === 'error')).toMatchObject({ payload: { code: 'auth_user_mismatch' } });
    const closed = await Promise.all(lapsing.map((c) => c.closed));
    expect(closed.map((c) => c.code)).toEqual(lapsing.map(() => closeCodes.tokenExpired));
    await sleep(300);
    expect(refreshed.ws.readyState).toBe(refreshed.ws.OPEN);
    await closeClient(refreshed);
  }, 15_000);
});

describe('presence and user events', () => {
  it('publishes online on the first socket of a user and offline on the last', async () => {
    const user = await registerUser(gw.http);
    const seen: { state: string; body: unknown }[] = [];
    const sub: Subscription = stack.nc.subscribe(stack.subjects.allPresence, {
      callback: (_e, m: Msg) => {
        const p = parsePresenceSubject(m.subject);
        if (p?.userId === user.id) seen.push({ state: p.state, body: presenceEvent.parse(m.json()) });
      },
    });
    await stack.nc.flush();
    const one = await openSocket(`${gw.ws}?token=${user.token}`);
    const two = await openSocket(`${gw.ws}?token=${user.token}`);
    await sleep(200);
    expect(seen.map((s) => s.state)).toEqual(['online']);
    expect(seen[0]!.body).toMatchObject({ user_id: user.id, gateway_id: gw.gateway.gatewayId });
    await closeClient(one);
    await sleep(200);
    expect(seen.map((s) => s.state)).toEqual(['online']);
    await closeClient(two);
    await sleep(200);
    expect(seen.map((s) => s.state)).toEqual(['online', 'offline']);
    sub.unsubscribe();
  });

  it('publishes a gateway heartbeat', async () => {
    const sub = stack.nc.subscribe(stack.subjects.gatewayHeartbeat, { max: 1 });
    for await (const m of sub) {
      expect(m.json()).toMatchObject({ interval_ms: expect.any(Number), gateway_id: expect.any(String) });
    }
  }, 10_000);

  it('delivers user events to a socket opened without chat_id, and drops the user subscription after the last close', async () => {
    const c = await openSocket(`${gw.ws}?token=${carol.token}`);
    const frame = { type: 'chatroulette_match', chat_id: chatId, payload: { chat_id: chatId, user: { id: alice.id, username: alice.username, is_online: true, last_seen: null } } };
    stack.nc.publish(stack.subjects.userEvent(carol.id, 'chatroulette_match'), JSON.stringify(frame));
    expect(await c.next((f) => f.type === 'chatroulette_match')).toEqual(frame);
    await closeClient(c);
    await sleep(100);
    expect(gw.gateway.stats()).toMatchObject({ sockets: 0, users: 0, chats: 0 });
  });

  it('does not forward user presence state events (user.<id>.presence) to the user\'s sockets', async () => {
    const c = await openSocket(`${gw.ws}?token=${carol.token}`);
    const state = { user_id: carol.id, username: carol.username, is_online: true, last_seen: null };
    stack.nc.publish(stack.subjects.userPresence(carol.id), JSON.stringify({ type: 'presence', chat_id: carol.id, payload: state }));
    const frame = { type: 'chatroulette_match', chat_id: chatId, payload: { chat_id: chatId, user: { id: alice.id, username: alice.username, is_online: true, last_seen: null } } };
    stack.nc.publish(stack.subjects.userEvent(carol.id, 'chatroulette_match'), JSON.stringify(frame));
    expect(await c.next((f) => f.type === 'chatroulette_match')).toEqual(frame);
    expect(c.frames).toEqual([frame]);
    await closeClient(c);
  });
});
