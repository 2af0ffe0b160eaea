import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testScope, uniqueName } from '@chatroulette/testing';
import { startAuth, testConfig } from './helpers.js';

const scope = testScope('auth-lockout');
const stops: (() => Promise<void>)[] = [];
let a: string;
let b: string;

beforeAll(async () => {
  // Two instances on one database: the lockout must hold across them.
  const cfg = testConfig(scope, { loginFreeFailures: 2, loginFreeFailuresPerAddress: 3, loginLockoutMaxSeconds: 2 });
  const first = await startAuth(cfg);
  stops.push(first.destroy);
  const second = await startAuth(cfg);
  stops.push(second.destroy);
  a = first.base;
  b = second.base;
});

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A login from `address` (as the gateway would forward it), with the Retry-After header. */
async function login(base: string, username: string, password: string, address: string) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, body: (await res.json()) as any, retryAfter: res.headers.get('retry-after') };
}

async function registered(prefix: string) {
  const username = uniqueName(prefix);
  const res = await fetch(`${a}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'password123' }),
  });
  expect(res.status).toBe(201);
  return username;
}

describe('login lockout', () => {
  it('locks a username after the free failures, doubling the wait, on every instance, and a success resets it', async () => {
    const u = await registered('lock');
    // Each attempt from another address, so only the username's count matters here.
    expect((await login(a, u, 'wrong-password', '192.0.2.1')).status).toBe(401);
    expect((await login(b, u, 'wrong-password', '192.0.2.2')).status).toBe(401);

    // Locked for 1 s: even the right password waits, on the other instance too.
    const locked = await login(a, u, 'password123', '192.0.2.3');
    expect(locked.status).toBe(429);
    expect(locked.body).toEqual({ error: expect.any(String), code: 'too_many_requests' });
    expect(locked.retryAfter).toBe('1');
    expect((await login(b, u, 'password123', '192.0.2.4')).status).toBe(429);

    await sleep(1100);
    expect((await login(b, u, 'wrong-password', '192.0.2.5')).status).toBe(401);
    // Third failure: 2 s (the configured cap).
    const longer = await login(a, u, 'password123', '192.0.2.6');
    expect(longer.status).toBe(429);
    expect(longer.retryAfter).toBe('2');

    await sleep(2100);
    expect((await login(a, u, 'password123', '192.0.2.7')).status).toBe(200);
    // The success reset the count: one failure is free again.
    expect((await login(b, u, 'wrong-password', '192.0.2.8')).status).toBe(401);
    expect((await login(a, u, 'password123', '192.0.2.9')).status).toBe(200);
  });

  it('treats an unknown username like a known one', async () => {
    const ghost = uniqueName('ghost');
    expect((await login(a, ghost, 'x-password', '192.0.2.20')).status).toBe(401);
    expect((await login(b, ghost, 'x-password', '192.0.2.21')).status).toBe(401);
    const third = await login(a, ghost, 'x-password', '192.0.2.22');
    expect(third.status).toBe(429);
    expect(third.retryAfter).toBe('1');
  });

  it('locks a client address (the last X-Forwarded-For hop) across usernames', async () => {
    const victim = await registered('addr');
    for (let i = 0; i < 3; i++) {
      expect((await login(i % 2 ? a : b, uniqueName('spray'), 'wrong-password', `10.9.9.${i}, 198.51.100.7`)).status).toBe(401);
    }
    // Any username from that address now waits; forged earlier hops change nothing.
    const locked = await login(a, victim, 'password123', '203.0.113.50, 198.51.100.7');
    expect(locked.status).toBe(429);
    expect(Number(locked.retryAfter)).toBeGreaterThanOrEqual(1);
    // Another address is not affected.
    expect((await login(b, victim, 'password123', '198.51.100.7, 198.51.100.8')).status).toBe(200);
  });
});
