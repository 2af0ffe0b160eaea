import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCodes } from '@chatroulette/contracts';
import { api, openSocket, refusedUpgrade, registerUser, sleep, startStack, testScope, upgradeOutcome, type Instance, type Stack, type TestUser } from '@chatroulette/testing';
import { startGatewayWithStats } from './helpers.js';

const scope = testScope('gateway-edge');
let stack: Stack;
/** Defaults: every origin, first-frame auth timeout 5 s. */
let open: Instance;
/** ALLOWED_ORIGINS set, a short first-frame timeout; its counters are read. */
let strict: Awaited<ReturnType<typeof startGatewayWithStats>>;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let chatId: string;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages', 'gateway'] });
  open = stack.get('gateway');
  strict = await startGatewayWithStats(stack, scope, { ALLOWED_ORIGINS: 'https://app.example.com, http://localhost:3000', AUTH_FRAME_TIMEOUT_MS: '400' });
  [alice, bob, carol] = await Promise.all([registerUser(open.url), registerUser(open.url), registerUser(open.url)]);
  const chat = await api(open.url, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } });
  expect(chat.status).toBe(201);
  chatId = chat.body.id;
});

afterAll(async () => {
  await strict?.stop();
  await stack?.destroy();
});

/** The upgrade's outcome with an Origin header: 101 (then closed) or the refusal's status and body. */
const upgradeWithOrigin = (url: string, query: Record<string, string>, origin?: string) => upgradeOutcome(url, query, { headers: origin ? { origin } : {} });

describe('origin allowlist', () => {
  it('refuses an upgrade from an origin not listed with 403 JSON, before upgrading', async () => {
    for (const origin of ['https://evil.example', 'http://app.example.com', 'null', 'https://app.example.com.evil.example']) {
      const res = await upgradeWithOrigin(strict.url, { token: alice.token }, origin);
      expect(res.status, origin).toBe(403);
      expect(res.body).toEqual({ error: 'Origin not allowed', code: 'forbidden' });
    }
  });

  it('lets in a listed origin and a client without Origin', async () => {
    expect((await upgradeWithOrigin(strict.url, { token: alice.token }, 'https://app.example.com')).status).toBe(101);
    expect((await upgradeWithOrigin(strict.url, { token: alice.token }, 'http://localhost:3000')).status).toBe(101);
    expect((await upgradeWithOrigin(strict.url, { token: alice.token })).status).toBe(101);
  });

  it('checks the origin before the token', async () => {
    expect((await upgradeWithOrigin(strict.url, {}, 'https://evil.example')).status).toBe(403);
  });

  it('allows every origin by default', async () => {
    expect((await upgradeWithOrigin(open.url, { token: alice.token }, 'https://evil.example')).status).toBe(101);
  });
});

describe('first-frame auth', () => {
  it('keeps the contract: no token and no opt-in is a 401 at the upgrade', async () => {
    expect((await refusedUpgrade(open.url)).status).toBe(401);
    expect((await refusedUpgrade(open.url, { chat_id: chatId })).status).toBe(401);
    expect((await refusedUpgrade(open.url, {}, { protocols: ['chatroulette'] })).status).toBe(401);
  });

  it('opens with the auth.first-frame subprotocol, sends nothing before the auth frame, then admits to the chat', async () => {
    const c = await openSocket(open.url, { chat_id: chatId }, { protocols: ['auth.first-frame'] });
    expect(c.ws.protocol).toBe('auth.first-frame');
    // A message to the chat before the auth frame is not delivered to this socket.
    expect((await api(open.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: bob.token, body: { type: 'text', content: 'before' } })).status).toBe(201);
    await sleep(300);
    expect(c.frames).toEqual([]);

    c.ws.send(JSON.stringify({ type: 'auth', token: alice.token }));
    const ok = await c.next((f) => f.type === 'auth_ok');
    expect(ok.payload.exp).toBeGreaterThan(Date.now() / 1000);
    expect(c.frames[0].type).toBe('auth_ok');

    const sent = await api(open.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: bob.token, body: { type: 'text', content: 'after' } });
    const event = await c.next((f) => f.type === 'new_message');
    expect(event.payload.id).toBe(sent.body.id);
    // Admitted sockets speak the normal protocol.
    c.ws.send(JSON.stringify({ type: 'ping' }));
    await c.next((f) => f.type === 'pong');
    await c.closeAndWait();
  });

  it('opens with ?auth=frame and replays with since after the auth frame', async () => {
    const c = await openSocket(open.url, { auth: 'frame', chat_id: chatId, since: 0 });
    await sleep(100);
    expect(c.frames).toEqual([]);
    c.ws.send(JSON.stringify({ type: 'auth', token: bob.token }));
    await c.next((f) => f.type === 'auth_ok');
    const recovery = await c.next((f) => f.type === 'recovery');
    expect(recovery.payload.recovered).toBe(true);
    expect(c.frames.filter((f) => f.type === 'new_message').length).toBeGreaterThanOrEqual(2);
    await c.closeAndWait();
  });

  it('answers a bad token with an error frame and closes with authFailed (4501)', async () => {
    const c = await openSocket(open.url, { auth: 'frame' });
    c.ws.send(JSON.stringify({ type: 'auth', token: 'garbage' }));
    const err = await c.next((f) => f.type === 'error');
    expect(err.payload.code).toBe('invalid_token');
    expect((await c.closed).code).toBe(closeCodes.authFailed);
  });

  it('closes with authFailed when the first frame is not an auth frame', async () => {
    for (const frame of [JSON.stringify({ type: 'ping' }), 'not json', Buffer.from([1, 2, 3])]) {
      const c = await openSocket(open.url, { auth: 'frame' });
      c.ws.send(frame);
      expect((await c.next((f) => f.type === 'error')).payload.code).toBe('auth_required');
      expect((await c.closed).code).toBe(closeCodes.authFailed);
    }
  });

  it('answers a non-member with an error frame and closes with notMember (4503)', async () => {
    const c = await openSocket(open.url, { chat_id: chatId }, { protocols: ['chatroulette', 'auth.first-frame'] });
    expect(c.ws.protocol).toBe('chatroulette');
    c.ws.send(JSON.stringify({ type: 'auth', token: carol.token }));
    const err = await c.next((f) => f.type === 'error');
    expect(err.payload.code).toBe('forbidden');
    expect((await c.closed).code).toBe(closeCodes.notMember);
    expect(c.frames.some((f) => f.type === 'new_message')).toBe(false);
  });

  it('closes with authTimeout (4408) when no auth frame comes in AUTH_FRAME_TIMEOUT_MS', async () => {
    const c = await openSocket(strict.url, { auth: 'frame' });
    const started = Date.now();
    expect((await c.closed).code).toBe(closeCodes.authTimeout);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(c.frames).toEqual([]);
  });

  it('still refuses a malformed chat_id with 400 at the upgrade', async () => {
    expect((await refusedUpgrade(open.url, { auth: 'frame', chat_id: 'nope' })).status).toBe(400);
  });

  it('leaves nothing behind: the broker holds no chat or user of closed first-frame sockets', async () => {
    await sleep(100);
    expect(strict.service.stats()).toMatchObject({ sockets: 0 });
    const c = await openSocket(strict.url, { chat_id: chatId }, { protocols: ['auth.first-frame'] });
    c.ws.send(JSON.stringify({ type: 'auth', token: carol.token }));
    await c.closed;
    await sleep(100);
    expect(strict.service.stats()).toEqual({ sockets: 0, chats: 0, users: 0 });
  });
});

describe('client address', () => {
  // Runs last: it slows this file's client address down.
  it('reaches auth as the last X-Forwarded-For hop, so a forged header does not dodge the address lockout', async () => {
    const attempt = (i: number) =>
      api(open.url, 'POST', '/api/v1/auth/login', {
        body: { username: `nobody${i}x${Date.now().toString(36)}`, password: 'wrong password' },
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
      });
    let twentiethSent = 0;
    for (let i = 0; i < 20; i++) {
      twentiethSent = Date.now();
      expect((await attempt(i)).status).toBe(401);
    }
    // The default is 20 free failures per address: the 20th slowed the address (not the forged ones)
    // for 1 s, so the next attempt is answered only after it.
    expect((await attempt(20)).status).toBe(401);
    expect(Date.now() - twentiethSent).toBeGreaterThanOrEqual(950);
  });
});
