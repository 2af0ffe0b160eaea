import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { createSubjects, parseUserSubject, userPresenceEvent, type UserPresenceEvent } from '@chatroulette/contracts';
import { encodeJson } from '@chatroulette/nats';
import { api, collectEvents, registerUser, startStack, testScope, waitUntil, type Stack } from '@chatroulette/testing';
import { authTestEnv, ISO } from './helpers.js';

const scope = testScope('auth-user-presence');
const subjects = createSubjects(scope.namespace);
let stack: Stack;
let base: string;
let nc: NatsConnection;
/** Every `user.<id>.presence` seen, in arrival order. */
let seen: Awaited<ReturnType<typeof collectEvents>>;

beforeAll(async () => {
  // Two instances in the auth queue group: whichever applies a change publishes it, once.
  stack = await startStack({ infra: scope, env: { auth: authTestEnv }, instances: ['auth', 'auth'] });
  base = stack.get('auth').url;
  nc = await connect({ servers: scope.natsUrl });
  seen = await collectEvents(nc, subjects.allUserPresence);
});
afterAll(async () => {
  seen?.stop();
  await nc?.drain();
  await stack?.destroy();
});

const registered = (prefix: string) => registerUser(base, prefix, 'password123');

let clock = Date.now();
const nextAt = () => new Date((clock = Math.max(clock + 1, Date.now()))).toISOString();

function presence(userId: string, gatewayId: string, state: 'online' | 'offline') {
  nc.publish(subjects.presence(userId, state), encodeJson({ user_id: userId, gateway_id: gatewayId, at: nextAt() }));
}
function heartbeat(gatewayId: string, intervalMs: number) {
  nc.publish(subjects.gatewayHeartbeat, encodeJson({ gateway_id: gatewayId, at: new Date().toISOString(), interval_ms: intervalMs }));
}

/** The events of one user so far, each checked against the contract and against its subject. */
function eventsOf(userId: string): UserPresenceEvent[] {
  return seen.events
    .filter((e) => parseUserSubject(e.subject, scope.namespace)!.userId === userId)
    .map((e) => {
      const body = userPresenceEvent.strict().parse(e.body);
      expect(body.user_id).toBe(userId);
      return body;
    });
}

async function waitForEvents(userId: string, count: number): Promise<UserPresenceEvent[]> {
  return waitUntil(
    async () => {
      const events = eventsOf(userId);
      return events.length >= count ? events : undefined;
    },
    { what: `${count} presence events of ${userId}`, timeoutMs: 5000, intervalMs: 20 },
  );
}

/** Lets events that might (wrongly) follow arrive: a marker user's event after them, then a pause. */
async function settle() {
  const marker = await registered('mark');
  presence(marker.id, 'gw-marker', 'online');
  await waitForEvents(marker.id, 1);
  await new Promise((r) => setTimeout(r, 300));
}

describe('user presence events', () => {
  it('a user on two gateways: one event online, none when one of them goes, one offline when the last goes', async () => {
    const u = await registered('two');
    presence(u.id, 'gw-a', 'online');
    presence(u.id, 'gw-b', 'online');
    const [online] = await waitForEvents(u.id, 1);
    expect(online).toEqual({ user_id: u.id, username: u.username, is_online: true, last_seen: null });

    presence(u.id, 'gw-a', 'offline');
    await settle();
    expect(eventsOf(u.id)).toHaveLength(1);

    const before = Date.now();
    presence(u.id, 'gw-b', 'offline');
    const [, offline] = await waitForEvents(u.id, 2);
    expect(offline).toMatchObject({ user_id: u.id, username: u.username, is_online: false, last_seen: expect.stringMatching(ISO) });
    expect(Date.parse(offline!.last_seen!)).toBeGreaterThanOrEqual(before - 2000);
    await settle();
    expect(eventsOf(u.id)).toHaveLength(2);

    // The event says what auth.users.get and the profile say.
    const token = (await api(base, 'POST', '/api/v1/auth/login', { body: { username: u.username, password: 'password123' } })).body;
    expect(token.user).toEqual({ id: u.id, username: u.username, is_online: false, last_seen: offline!.last_seen });
  });

  it('online again after offline is an online event, keeping the last last_seen', async () => {
    const u = await registered('again');
    presence(u.id, 'gw-c', 'online');
    await waitForEvents(u.id, 1);
    presence(u.id, 'gw-c', 'offline');
    const [, offline] = await waitForEvents(u.id, 2);
    presence(u.id, 'gw-d', 'online');
    const [, , online] = await waitForEvents(u.id, 3);
    expect(online).toEqual({ user_id: u.id, username: u.username, is_online: true, last_seen: offline!.last_seen });
    await settle();
    expect(eventsOf(u.id).map((e) => e.is_online)).toEqual([true, false, true]);
  });

  it('the sweeper expiring a dead gateway publishes offline for its users, and nothing for one still on a live gateway', async () => {
    const gone = await registered('dead');
    const stays = await registered('live');
    const interval = 100;
    heartbeat('gw-dying', interval);
    heartbeat('gw-alive', interval);
    const live = setInterval(() => heartbeat('gw-alive', interval), interval);
    let dying: ReturnType<typeof setInterval> | undefined = setInterval(() => heartbeat('gw-dying', interval), interval);
    try {
      presence(gone.id, 'gw-dying', 'online');
      presence(stays.id, 'gw-dying', 'online');
      presence(stays.id, 'gw-alive', 'online');
      await waitForEvents(gone.id, 1);
      await waitForEvents(stays.id, 1);

      clearInterval(dying);
      dying = undefined;
      const [, offline] = await waitForEvents(gone.id, 2);
      expect(offline).toMatchObject({ user_id: gone.id, username: gone.username, is_online: false, last_seen: expect.stringMatching(ISO) });
      await settle();
      expect(eventsOf(gone.id)).toHaveLength(2);
      expect(eventsOf(stays.id).map((e) => e.is_online)).toEqual([true]);
    } finally {
      clearInterval(live);
      if (dying) clearInterval(dying);
    }
  });

  it('publishes nothing for a repeated online, nor for an unknown user', async () => {
    const u = await registered('quiet');
    presence(u.id, 'gw-e', 'online');
    await waitForEvents(u.id, 1);
    presence(u.id, 'gw-e', 'online');
    const ghost = '00000000-0000-4000-8000-00000000beef';
    presence(ghost, 'gw-e', 'online');
    await settle();
    expect(eventsOf(u.id)).toHaveLength(1);
    expect(eventsOf(ghost)).toEqual([]);
  });
});
