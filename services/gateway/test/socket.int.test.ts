import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import type { NatsConnection } from 'nats';
import { closeCodes, limits, parsePresenceSubject, presenceEvent, type Subjects } from '@chatroulette/contracts';
import { api, collectEvents, openSocket, refusedUpgrade, registerUser, sleep, socketUrl, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';
import { generatePrivateKeyPem, loadSigningKey, type SigningKey } from '@chatroulette/tokens';
import { heldSigningKey, natsOf, startGatewayWithStats, tokenFor } from './helpers.js';

const scope = testScope('gateway-socket');
/** Auth (holding `key`) and messages. */
let stack: Stack;
let key: SigningKey;
/** Its counters and id are read. */
let gw: Awaited<ReturnType<typeof startGatewayWithStats>>;
let nc: NatsConnection;
let subjects: Subjects;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let chatId: string;

beforeAll(async () => {
  const held = heldSigningKey();
  key = held.key;
  stack = await startStack({ infra: scope, env: { auth: held.authEnv }, instances: ['auth', 'messages'] });
  gw = await startGatewayWithStats(stack, scope);
  ({ nc, subjects } = await natsOf(scope));
  [alice, bob, carol] = await Promise.all([registerUser(gw.url), registerUser(gw.url), registerUser(gw.url)]);
  const chat = await api(gw.url, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } });
  expect(chat.status).toBe(201);
  chatId = chat.body.id;
});

afterAll(async () => {
  await nc?.drain().catch(() => undefined);
  await gw?.stop();
  await stack?.destroy();
});

describe('socket upgrade', () => {
  it('refuses missing, garbage, expired, alg-none and wrong-key tokens with 401 and a JSON error', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = jwt.sign({ username: alice.username, exp: now - 60, iat: now - 120 }, key.privateKey, {
      algorithm: 'ES256',
      subject: alice.id,
      keyid: key.kid,
    });
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: alice.id, username: alice.username, exp: now + 600 })}.`;
    const wrongKey = tokenFor(loadSigningKey(generatePrivateKeyPem()), alice, 600);
    for (const query of ['', '?token=', '?token=garbage', `?token=${expired}`, `?token=${algNone}`, `?token=${wrongKey}`]) {
      const res = await refusedUpgrade(`${socketUrl(gw.url)}${query}`);
      expect(res.status, query).toBe(401);
      expect(res.body.error).toEqual(expect.any(String));
    }
  });

  it('accepts a good token without chat_id, from the query or a bearer subprotocol (echoed back)', async () => {
    const a = await openSocket(gw.url, { token: alice.token });
    expect(a.ws.protocol).toBe('');
    const b = await openSocket(gw.url, {}, { protocols: ['chatroulette', `bearer.${alice.token}`] });
    expect(b.ws.protocol).toBe('chatroulette');
    await a.closeAndWait();
    await b.closeAndWait();
  });

  it('refuses a malformed chat_id or since with 400, a non-member or unknown chat with 403, and lets a member in', async () => {
    expect((await refusedUpgrade(gw.url, { token: alice.token, chat_id: 'nope' })).status).toBe(400);
    expect((await refusedUpgrade(gw.url, { token: alice.token, chat_id: chatId, since: '-3' })).status).toBe(400);
    const outsider = await refusedUpgrade(gw.url, { token: carol.token, chat_id: chatId });
    expect(outsider.status).toBe(403);
    expect(outsider.body.error).toEqual(expect.any(String));
    const unknown = await refusedUpgrade(gw.url, { token: alice.token, chat_id: '3f2b8c2e-1d4a-4c1e-9a61-2f5d7c9b0a11' });
    expect(unknown.status).toBe(403);
    const member = await openSocket(`${socketUrl(gw.url)}?token=${bob.token}&chat_id=${chatId}&chat_id=`);
    await member.closeAndWait();
    const empty = await openSocket(gw.url, { token: bob.token, chat_id: '' });
    await empty.closeAndWait();
  });
});

describe('socket protocol', () => {
  it('answers ping with pong, and malformed frames with error frames while the socket stays open', async () => {
    const c = await openSocket(gw.url, { token: alice.token });
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
    await c.closeAndWait();
  });

  it('closes with 1009 on a frame over the limit, and takes one at the limit', async () => {
    const c = await openSocket(gw.url, { token: alice.token });
    c.ws.send(`{"type":"ping","pad":"${'x'.repeat(limits.maxSocketFrameBytes - 30)}"}`);
    expect(await c.next((f) => f.type === 'pong')).toEqual({ type: 'pong' });
    c.ws.send('x'.repeat(limits.maxSocketFrameBytes + 1));
    const closed = await c.closed;
    expect(closed.code).toBe(closeCodes.tooLarge);
  });

  it('drops the connection on a frame far over the limit (uWS itself)', async () => {
    const c = await openSocket(gw.url, { token: alice.token });
    c.ws.send('x'.repeat(limits.maxSocketFrameBytes * 4 + 1));
    const closed = await c.closed;
    expect([closeCodes.tooLarge, 1006]).toContain(closed.code);
  });

  it('closes with 4401 when the token expires, unless an auth frame brought a fresh one', async () => {
    const shortB = tokenFor(key, alice, 2);
    const lapsing = await Promise.all(Array.from({ length: 8 }, () => openSocket(gw.url, { token: tokenFor(key, alice, 2) })));
    const refreshed = await openSocket(gw.url, { token: shortB });
    refreshed.ws.send(JSON.stringify({ type: 'auth', token: tokenFor(key, alice, 600) }));
    expect(await refreshed.next((f) => f.type === 'auth_ok')).toMatchObject({ payload: { exp: expect.any(Number) } });
    refreshed.ws.send(JSON.stringify({ type: 'auth', token: tokenFor(key, bob, 600) }));
    expect(await refreshed.next((f) => f.type === 'error')).toMatchObject({ payload: { code: 'auth_user_mismatch' } });
    const closed = await Promise.all(lapsing.map((c) => c.closed));
    expect(closed.map((c) => c.code)).toEqual(lapsing.map(() => closeCodes.tokenExpired));
    await sleep(300);
    expect(refreshed.ws.readyState).toBe(refreshed.ws.OPEN);
    await refreshed.closeAndWait();
  }, 15_000);
});

describe('presence and user events', () => {
  it('publishes online on the first socket of a user and offline on the last', async () => {
    const user = await registerUser(gw.url);
    const presence = await collectEvents(nc, subjects.allPresence);
    const seen = () =>
      presence.events.flatMap((e) => {
        const p = parsePresenceSubject(e.subject);
        return p?.userId === user.id ? [{ state: p.state, body: presenceEvent.parse(e.body) }] : [];
      });
    const one = await openSocket(gw.url, { token: user.token });
    const two = await openSocket(gw.url, { token: user.token });
    await sleep(200);
    expect(seen().map((s) => s.state)).toEqual(['online']);
    expect(seen()[0]!.body).toMatchObject({ user_id: user.id, gateway_id: gw.service.gatewayId });
    await one.closeAndWait();
    await sleep(200);
    expect(seen().map((s) => s.state)).toEqual(['online']);
    await two.closeAndWait();
    await sleep(200);
    expect(seen().map((s) => s.state)).toEqual(['online', 'offline']);
    presence.stop();
  });

  it('publishes a gateway heartbeat', async () => {
    const sub = nc.subscribe(subjects.gatewayHeartbeat, { max: 1 });
    for await (const m of sub) {
      expect(m.json()).toMatchObject({ interval_ms: expect.any(Number), gateway_id: expect.any(String) });
    }
  }, 10_000);

  it('delivers user events to a socket opened without chat_id, and drops the user subscription after the last close', async () => {
    const c = await openSocket(gw.url, { token: carol.token });
    const frame = { type: 'chatroulette_match', chat_id: chatId, payload: { chat_id: chatId, user: { id: alice.id, username: alice.username, is_online: true, last_seen: null } } };
    nc.publish(subjects.userEvent(carol.id, 'chatroulette_match'), JSON.stringify(frame));
    expect(await c.next((f) => f.type === 'chatroulette_match')).toEqual(frame);
    await c.closeAndWait();
    await sleep(100);
    expect(gw.service.stats()).toMatchObject({ sockets: 0, users: 0, chats: 0 });
  });

  it('does not forward user presence state events (user.<id>.presence) to the user\'s sockets', async () => {
    const c = await openSocket(gw.url, { token: carol.token });
    const state = { user_id: carol.id, username: carol.username, is_online: true, last_seen: null };
    nc.publish(subjects.userPresence(carol.id), JSON.stringify({ type: 'presence', chat_id: carol.id, payload: state }));
    const frame = { type: 'chatroulette_match', chat_id: chatId, payload: { chat_id: chatId, user: { id: alice.id, username: alice.username, is_online: true, last_seen: null } } };
    nc.publish(subjects.userEvent(carol.id, 'chatroulette_match'), JSON.stringify(frame));
    expect(await c.next((f) => f.type === 'chatroulette_match')).toEqual(frame);
    expect(c.frames).toEqual([frame]);
    await c.closeAndWait();
  });
});
