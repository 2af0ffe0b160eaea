import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import { connect, type NatsConnection } from 'nats';
import { authKeysGet, authUsersGet, createSubjects } from '@chatroulette/contracts';
import { encodeJson, encodeText, request } from '@chatroulette/nats';
import { createTokenVerifier } from '@chatroulette/tokens';
import { api, pollUntil, registerUser, startStack, testScope, type Stack } from '@chatroulette/testing';
import { authTestEnv, ISO } from './helpers.js';

const scope = testScope('auth-nats');
const subjects = createSubjects(scope.namespace);
let stack: Stack;
let base: string;
let nc: NatsConnection;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: [{ service: 'auth', env: authTestEnv }] });
  base = stack.get('auth').url;
  nc = await connect({ servers: scope.natsUrl });
});
afterAll(async () => {
  await nc?.drain();
  await stack?.destroy();
});

const registered = (prefix: string) => registerUser(base, prefix, 'password123');

const profileOf = (id: string, token: string) =>
  api(base, 'GET', `/api/v1/users/${id}/profile`, { token }).then((r) => r.body as { is_online: boolean; last_seen: string | null });

let clock = Date.now();
/** Strictly increasing event times, as one gateway would send them. */
const nextAt = () => new Date((clock = Math.max(clock + 1, Date.now()))).toISOString();

function presence(userId: string, gatewayId: string, state: 'online' | 'offline', at = nextAt()) {
  nc.publish(subjects.presence(userId, state), encodeJson({ user_id: userId, gateway_id: gatewayId, at }));
}
function heartbeat(gatewayId: string, intervalMs: number) {
  nc.publish(subjects.gatewayHeartbeat, encodeJson({ gateway_id: gatewayId, at: new Date().toISOString(), interval_ms: intervalMs }));
}

describe('request/reply', () => {
  it('auth.keys.get lists the signing key, which verifies issued tokens', async () => {
    const reply = await request(nc, subjects.authKeysGet, authKeysGet, {});
    expect(reply.keys).toEqual([{ kid: expect.any(String), alg: 'ES256', public_key_pem: expect.stringContaining('BEGIN PUBLIC KEY') }]);
    const u = await registered('keys');
    expect(jwt.decode(u.token, { complete: true })?.header.kid).toBe(reply.keys[0]!.kid);
    const verify = createTokenVerifier(async () => reply.keys);
    expect(await verify(u.token)).toMatchObject({ userId: u.id, username: u.username });
  });

  it('auth.users.get answers the users that exist, with their public fields', async () => {
    const a = await registered('ug');
    const b = await registered('ug');
    const reply = await request(nc, subjects.authUsersGet, authUsersGet, {
      user_ids: [a.id, b.id, a.id, '00000000-0000-4000-8000-000000000000'],
    });
    const byId = new Map(reply.users.map((u) => [u.id, u]));
    expect(reply.users).toHaveLength(2);
    expect(byId.get(a.id)).toEqual({ id: a.id, username: a.username, is_online: false, last_seen: null });
    expect(byId.get(b.id)).toEqual({ id: b.id, username: b.username, is_online: false, last_seen: null });
  });

  it('auth.users.get refuses malformed requests with a 400 error reply', async () => {
    await expect(request(nc, subjects.authUsersGet, authUsersGet, { user_ids: ['nope'] } as never)).rejects.toMatchObject({ status: 400 });
    await expect(request(nc, subjects.authUsersGet, authUsersGet, { user_ids: [] })).rejects.toMatchObject({ status: 400 });
    const raw = await nc.request(subjects.authUsersGet, encodeText('{not json'), { timeout: 3000 });
    expect(raw.headers?.get('Status')).toBe('400');
  });
});

describe('presence', () => {
  it('online then offline changes is_online and last_seen', async () => {
    const u = await registered('pres');
    presence(u.id, 'gw-1', 'online');
    const online = await pollUntil(() => profileOf(u.id, u.token), (p) => p.is_online);
    expect(online).toMatchObject({ is_online: true, last_seen: null });

    const before = Date.now();
    presence(u.id, 'gw-1', 'offline');
    const offline = await pollUntil(() => profileOf(u.id, u.token), (p) => !p.is_online);
    expect(offline.is_online).toBe(false);
    expect(offline.last_seen).toMatch(ISO);
    expect(Date.parse(offline.last_seen!)).toBeGreaterThanOrEqual(before - 2000);

    const login = await api(base, 'POST', '/api/v1/auth/login', { body: { username: u.username, password: 'password123' } });
    expect(login.body.user).toEqual({ id: u.id, username: u.username, is_online: false, last_seen: offline.last_seen });
    const users = await request(nc, subjects.authUsersGet, authUsersGet, { user_ids: [u.id] });
    expect(users.users[0]).toMatchObject({ is_online: false, last_seen: offline.last_seen });
  });

  it('a user on two gateways stays online until the last one says offline', async () => {
    const u = await registered('two');
    presence(u.id, 'gw-a', 'online');
    presence(u.id, 'gw-b', 'online');
    await pollUntil(() => profileOf(u.id, u.token), (p) => p.is_online);
    presence(u.id, 'gw-a', 'offline');
    // A marker user's event after gw-a's offline shows that the events before it were handled.
    const marker = await registered('mark');
    presence(marker.id, 'gw-a', 'online');
    await pollUntil(() => profileOf(marker.id, marker.token), (p) => p.is_online);
    await new Promise((r) => setTimeout(r, 200));
    expect(await profileOf(u.id, u.token)).toMatchObject({ is_online: true });

    presence(u.id, 'gw-b', 'offline');
    const off = await pollUntil(() => profileOf(u.id, u.token), (p) => !p.is_online);
    expect(off.is_online).toBe(false);
    expect(off.last_seen).toMatch(ISO);
  });

  it('an event older than the last one of that gateway is ignored (events handled out of order)', async () => {
    const u = await registered('order');
    const t1 = nextAt();
    const t2 = nextAt();
    const t3 = nextAt();
    presence(u.id, 'gw-o', 'online', t1);
    await pollUntil(() => profileOf(u.id, u.token), (p) => p.is_online);
    presence(u.id, 'gw-o', 'offline', t3);
    await pollUntil(() => profileOf(u.id, u.token), (p) => !p.is_online);
    presence(u.id, 'gw-o', 'online', t2); // late: sent before the offline, handled after it
    await new Promise((r) => setTimeout(r, 300));
    expect((await profileOf(u.id, u.token)).is_online).toBe(false);
    presence(u.id, 'gw-o', 'online');
    expect((await pollUntil(() => profileOf(u.id, u.token), (p) => p.is_online)).is_online).toBe(true);
  });

  it('drops the presence of a gateway whose heartbeats stop, and keeps that of a live one', async () => {
    const u = await registered('hb');
    const v = await registered('hb');
    const interval = 100;
    const beats = setInterval(() => heartbeat('gw-live', interval), interval);
    heartbeat('gw-dying', interval);
    heartbeat('gw-live', interval);
    let dyingBeats: ReturnType<typeof setInterval> | undefined = setInterval(() => heartbeat('gw-dying', interval), interval);
    try {
      presence(u.id, 'gw-dying', 'online');
      presence(v.id, 'gw-dying', 'online');
      presence(v.id, 'gw-live', 'online');
      await pollUntil(() => profileOf(u.id, u.token), (p) => p.is_online);
      await pollUntil(() => profileOf(v.id, v.token), (p) => p.is_online);

      clearInterval(dyingBeats);
      dyingBeats = undefined;
      const gone = await pollUntil(() => profileOf(u.id, u.token), (p) => !p.is_online, 5000);
      expect(gone.is_online).toBe(false);
      expect(gone.last_seen).toMatch(ISO);
      // v is still on the live gateway.
      await new Promise((r) => setTimeout(r, 300));
      expect(await profileOf(v.id, v.token)).toMatchObject({ is_online: true });
    } finally {
      clearInterval(beats);
      if (dyingBeats) clearInterval(dyingBeats);
    }
  });

  it('ignores malformed presence messages and events of unknown users, and keeps working', async () => {
    const u = await registered('junk');
    const ghost = '00000000-0000-4000-8000-00000000dead';
    nc.publish(subjects.presence(u.id, 'online'), encodeText('{not json'));
    nc.publish(subjects.presence(u.id, 'online'), encodeJson({ user_id: u.id }));
    nc.publish(subjects.presence(u.id, 'online'), encodeJson({ user_id: u.id, gateway_id: 'gw-j', at: 'yesterday' }));
    nc.publish(subjects.presence('not-a-uuid', 'online'), encodeJson({ user_id: 'not-a-uuid', gateway_id: 'gw-j', at: nextAt() }));
    // A body naming another user than the subject is refused too.
    nc.publish(subjects.presence(u.id, 'online'), encodeJson({ user_id: ghost, gateway_id: 'gw-j', at: nextAt() }));
    nc.publish(subjects.gatewayHeartbeat, encodeJson({ gateway_id: 'gw-j', interval_ms: -5 }));
    presence(ghost, 'gw-j', 'online');
    await new Promise((r) => setTimeout(r, 300));
    expect((await profileOf(u.id, u.token)).is_online).toBe(false);
    expect((await request(nc, subjects.authUsersGet, authUsersGet, { user_ids: [ghost] })).users).toEqual([]);

    presence(u.id, 'gw-j', 'online');
    expect((await pollUntil(() => profileOf(u.id, u.token), (p) => p.is_online)).is_online).toBe(true);
  });
});
