import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, registerUser, sleep, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';
import { fastJobs } from './fast-jobs.js';

// Queue liveness in the moment between a searcher going idle and the job that takes them out: the
// job runs rarely here, so only the queries' own idle filter keeps the ghost from being matched.
const scope = testScope('roulette-idle');
const IDLE_MS = 500;
let stack: Stack;
let auth: string;
let roulette: string;

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    env: { roulette: { ...fastJobs, ROULETTE_IDLE_SEARCH_MS: String(IDLE_MS), ROULETTE_GRACE_LOOP_MS: '60000' } },
    instances: ['auth', 'messages', 'roulette'],
  });
  [auth, roulette] = [stack.get('auth').url, stack.get('roulette').url];
});
afterAll(() => stack?.destroy());

const R = '/api/v1/chatroulette';
const search = (u: TestUser) => api(roulette, 'POST', `${R}/search`, { token: u.token });
const status = async (u: TestUser) => (await api(roulette, 'GET', `${R}/status`, { token: u.token })).body.status as string;

describe('an idle searcher not yet taken out', () => {
  it('is matched neither by a new searcher nor by the matcher job; a search of theirs makes them matchable again', async () => {
    const [ghost, real, other] = [await registerUser(auth, 'gh'), await registerUser(auth, 're'), await registerUser(auth, 'ot')];
    expect((await search(ghost)).status).toBe(202);
    await sleep(IDLE_MS * 2);
    expect((await search(real)).status).toBe(202); // not the ghost
    await sleep(IDLE_MS * 2); // several matcher runs: real is idle by now too, and neither is paired
    expect([await status(ghost), await status(real)]).toEqual(['searching', 'searching']);

    // The ghost searches again: active, so the next searcher takes them.
    expect((await search(ghost)).status).toBe(202);
    const matched = await search(other);
    expect(matched.status).toBe(200);
    expect(matched.body.user.id).toBe(ghost.id);
  });
});
