import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, registerUser, startStack, testScope, type Stack } from '@chatroulette/testing';
import { fastJobs } from './fast-jobs.js';

const scope = testScope('roulette-rate');
let stack: Stack;
let auth: string;
let roulette: string;
const R = '/api/v1/chatroulette';

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    env: { roulette: { ...fastJobs, RATE_SEARCHES_PER_MINUTE: '3', RATE_SKIPS_PER_MINUTE: '2' } },
    instances: ['auth', 'messages', 'roulette'],
  });
  [auth, roulette] = [stack.get('auth').url, stack.get('roulette').url];
});
afterAll(async () => {
  await stack?.destroy();
});

async function call(method: string, path: string, token: string) {
  const res = await api(roulette, method, `${R}${path}`, { token });
  return { status: res.status, body: res.body, retryAfter: res.headers.get('retry-after') };
}

describe('roulette rates', () => {
  it('limits searches per user per minute (search and find share the budget)', async () => {
    const u = await registerUser(auth);
    expect((await call('POST', '/search', u.token)).status).toBe(202);
    expect((await call('GET', '/find', u.token)).status).toBe(202);
    expect((await call('POST', '/search', u.token)).status).toBe(202);
    const limited = await call('GET', '/find', u.token);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: expect.any(String), code: 'too_many_requests', request_id: expect.any(String) });
    // The minute's window began with the first search: the budget is back when it ends.
    expect(Number(limited.retryAfter)).toBeGreaterThan(50);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);
    // Status and cancel have budgets of their own; another user has their own budget.
    expect((await call('GET', '/status', u.token)).status).toBe(200);
    expect((await call('DELETE', '/search', u.token)).status).toBe(200);
    const other = await registerUser(auth);
    expect((await call('POST', '/search', other.token)).status).not.toBe(429);
    await call('DELETE', '/search', other.token);
  });

  it('limits skips per user per minute', async () => {
    const u = await registerUser(auth);
    const chat = '00000000-0000-4000-8000-000000000000';
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await call('POST', `/${chat}/skip`, u.token));
    expect(answers.slice(0, 2).map((a) => a.status)).not.toContain(429);
    expect(answers[2]!.status).toBe(429);
    expect(Number(answers[2]!.retryAfter)).toBeGreaterThan(25);
  });
});
