import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, registerUser, startStack, testScope, uniqueName, type Stack } from '@chatroulette/testing';
import { authTestEnv } from './helpers.js';

const stacks: Stack[] = [];
afterAll(() => Promise.all(stacks.map((s) => s.destroy())));

/** Two auth instances on one database of their own (every defence must hold across them), with `env` over the test's. */
async function twoAuths(label: string, env: Record<string, string>) {
  const stack = await startStack({ infra: testScope(label), env: { auth: { ...authTestEnv, ...env } }, instances: ['auth', 'auth'] });
  stacks.push(stack);
  return [stack.get('auth', 0).url, stack.get('auth', 1).url] as const;
}

/** Password hashes computed by `purpose` on every instance (chatroulette_auth_password_hashes_total). */
async function hashes(urls: readonly string[], purpose: string): Promise<number> {
  let total = 0;
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('chatroulette_auth_password_hashes_total{') && l.includes(`purpose="${purpose}"`));
    total += line ? Number(line.split(' ').pop()) : 0;
  }
  return total;
}

const post = (base: string, path: string, body: unknown, address: string) =>
  api(base, 'POST', path, { body, headers: { 'x-forwarded-for': address } });

describe('a burst of guesses on one username', () => {
  let urls: readonly [string, string];
  beforeAll(async () => {
    urls = await twoAuths('auth-burst', { LOGIN_FREE_FAILURES: '5', LOGIN_LOCKOUT_FIRST_SECONDS: '60', LOGIN_LOCKOUT_MAX_SECONDS: '60' });
  });

  it('has at most the free failures checked against the password; the rest are refused before the hash, and so is the right password', async () => {
    const victim = await registerUser(urls[0], 'burst', 'password123');
    const before = await hashes(urls, 'login');
    // 40 at once, half on each instance, each from its own address (only the username's count matters).
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(urls[i % 2]!, '/api/v1/auth/login', { username: victim.username, password: `guess-${i}` }, `192.0.2.${i + 1}`)),
    );
    const statuses = answers.map((a) => a.status);
    const checked = statuses.filter((s) => s === 401).length;
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - checked);
    expect(await hashes(urls, 'login')).toBe(before + checked);
    // Locked: the right password is refused too, on both instances, without a hash.
    for (const url of urls) {
      const right = await post(url, '/api/v1/auth/login', { username: victim.username, password: 'password123' }, '198.51.100.77');
      expect(right.status).toBe(429);
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(await hashes(urls, 'login')).toBe(before + checked);
  });
});

describe('register and login budgets', () => {
  let urls: readonly [string, string];
  beforeAll(async () => {
    urls = await twoAuths('auth-budgets', { REGISTER_PER_ADDRESS_PER_MINUTE: '3', REGISTER_PER_MINUTE: '6', LOGIN_PER_ADDRESS_PER_MINUTE: '4', LOGIN_PER_MINUTE: '1000' });
  });

  it('refuses a registration past the address budget (across instances) with 429 and Retry-After, before hashing', async () => {
    const register = (i: number, address: string) => post(urls[i % 2]!, '/api/v1/auth/register', { username: uniqueName('bud'), password: 'password123' }, address);
    for (let i = 0; i < 3; i++) expect((await register(i, '203.0.113.10')).status).toBe(201);
    const before = await hashes(urls, 'register');
    const over = await register(3, '203.0.113.10');
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('too_many_requests');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await hashes(urls, 'register')).toBe(before);
    // An IPv6 client is one /64: another address in it shares the budget, another /64 does not.
    for (let i = 0; i < 3; i++) expect((await register(i, `2001:db8:1:2::${i + 1}`)).status).toBe(201);
    expect((await register(0, '2001:db8:1:2:ffff::9')).status).toBe(429);
    // The global budget (6 a minute) is spent now as well: a fresh address is refused too.
    expect((await register(1, '2001:db8:9:9::1')).status).toBe(429);
  });

  it('refuses logins past the address budget with 429 and Retry-After', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await post(urls[i % 2]!, '/api/v1/auth/login', { username: uniqueName('nobody'), password: 'x-password' }, '203.0.113.20')).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });
});

describe('the bound on pending hashes', () => {
  let urls: readonly [string, string];
  beforeAll(async () => {
    // A slow hash (2^16) and one slot: a burst must find the queue full.
    urls = await twoAuths('auth-hash-queue', { AUTH_MAX_PENDING_HASHES: '1', PASSWORD_HASH_COST: '16' });
  });

  it('answers 503 with Retry-After when the queue is full, and serves again once it drains', async () => {
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(urls[0], '/api/v1/auth/register', { username: uniqueName('q'), password: 'password123' }, `192.0.2.${100 + i}`)),
    );
    const statuses = burst.map((a) => a.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    const full = burst.filter((a) => a.status === 503);
    expect(full.length).toBeGreaterThanOrEqual(1);
    expect(full[0]!.headers.get('retry-after')).toBe('1');
    expect(full[0]!.body.code).toBe('unavailable');
    expect((await post(urls[0], '/api/v1/auth/register', { username: uniqueName('q'), password: 'password123' }, '192.0.2.200')).status).toBe(201);
  });
});
