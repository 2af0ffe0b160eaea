import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, registerUser, sleep, startStack, testScope, uniqueName, type Stack } from '@chatroulette/testing';
import { authTestEnv } from './helpers.js';

const scope = testScope('auth-lockout');
let stack: Stack;
let a: string;
let b: string;

beforeAll(async () => {
  // Two instances on one database: the lockout must hold across them.
  stack = await startStack({
    infra: scope,
    env: { auth: { ...authTestEnv, LOGIN_FREE_FAILURES: '2', LOGIN_FREE_FAILURES_PER_ADDRESS: '3', LOGIN_LOCKOUT_MAX_SECONDS: '2' } },
    instances: ['auth', 'auth'],
  });
  a = stack.get('auth', 0).url;
  b = stack.get('auth', 1).url;
});

afterAll(async () => {
  await stack?.destroy();
});

/** A login from `address` (as the gateway would forward it), with the Retry-After header. */
async function login(base: string, username: string, password: string, address: string) {
  const res = await api(base, 'POST', '/api/v1/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': address } });
  return { status: res.status, body: res.body, retryAfter: res.headers.get('retry-after') };
}

async function registered(prefix: string) {
  return (await registerUser(a, prefix, 'password123')).username;
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
    expect(locked.body).toEqual({ error: expect.any(String), code: 'too_many_requests', request_id: expect.any(String) });
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

  it('slows a client address (the last X-Forwarded-For hop) down across usernames, never refusing a correct password', async () => {
    const victim = await registered('addr');
    let thirdSent = 0;
    for (let i = 0; i < 3; i++) {
      thirdSent = Date.now();
      expect((await login(i % 2 ? a : b, uniqueName('spray'), 'wrong-password', `10.9.9.${i}, 198.51.100.7`)).status).toBe(401);
    }
    // The third failure slowed the address for 1 s: someone else behind it, with the right password,
    // still gets in, only once that second (counted from no earlier than the third attempt) is over;
    // forged earlier hops change nothing.
    const behindNat = await login(a, victim, 'password123', '203.0.113.50, 198.51.100.7');
    expect(behindNat.status).toBe(200);
    expect(Date.now() - thirdSent).toBeGreaterThanOrEqual(950);
    // A wrong guess from it is answered 401 (not 429), after the wait too.
    expect((await login(b, uniqueName('spray'), 'wrong-password', '198.51.100.7')).status).toBe(401);
    // Another address is not affected.
    expect((await login(b, victim, 'password123', '198.51.100.7, 198.51.100.8')).status).toBe(200);
  });
});
