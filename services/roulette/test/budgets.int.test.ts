import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, registerUser, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';
import { fastJobs } from './fast-jobs.js';

/** Two roulette instances on one database: a user's budget holds across both, not twice over. */
const scope = testScope('roulette-budgets');
const R = '/api/v1/chatroulette';
let stack: Stack;
let bases: string[];
let user: TestUser;

beforeAll(async () => {
  const budgets = { RATE_SEARCHES_PER_MINUTE: '3', RATE_CANCELS_PER_MINUTE: '2', RATE_STATUS_PER_MINUTE: '4', RATE_SAVES_PER_MINUTE: '1', RATE_SKIPS_PER_MINUTE: '2' };
  stack = await startStack({ infra: scope, env: { roulette: { ...fastJobs, ...budgets } }, instances: ['auth', 'messages', 'roulette', 'roulette'] });
  bases = stack.all('roulette').map((i) => i.url);
  user = await registerUser(stack.get('auth').url);
});
afterAll(async () => {
  await stack?.destroy();
});

/** `n` requests at once, alternating between the instances: how many were refused with 429. */
async function refused(n: number, method: string, path: string) {
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => api(bases[i % 2]!, method, `${R}${path}`, { token: user.token })));
  return answers.filter((a) => a.status === 429).length;
}

const chat = '00000000-0000-4000-8000-000000000000';

describe('roulette budgets across two instances', () => {
  it.each([
    ['searches', 'POST', '/search', 3],
    ['cancels', 'DELETE', '/search', 2],
    ['status', 'GET', '/status', 4],
    ['saves', 'POST', `/${chat}/save`, 1],
    ['skips', 'POST', `/${chat}/skip`, 2],
  ] as const)('%s: the budget across both, then 429', async (_name, method, path, budget) => {
    expect(await refused(budget + 4, method, path)).toBe(4);
  });
});
