import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { NatsConnection, Subscription } from 'nats';
import type { Subjects } from '@chatroulette/contracts';
import { api, openSocket, registerUser, sleep, startStack, testScope, waitUntil, type Stack, type TestUser } from '@chatroulette/testing';
import { createGatewayBlocks, type GatewayBlocks } from '../src/blocks/gateway-blocks.js';
import { natsOf, startGatewayWithStats } from './helpers.js';

// The gateway's copy of the blocks of its users (src/blocks): loaded from auth at a user's first
// admission, kept current by auth's block events, never asked for again per frame, forgotten when
// the user's last socket closes.
const scope = testScope('gateway-blocks');
const log = pino({ level: 'silent' });
let stack: Stack;
let nc: NatsConnection;
let subjects: Subjects;
let authUrl: string;
let blocks: GatewayBlocks;
/** Every auth.blocks.list request on the scope's NATS (a plain subscriber gets a copy beside auth's queue group). */
let listRequests: string[];
let spy: Subscription;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages'] });
  authUrl = stack.get('auth').url;
  ({ nc, subjects } = await natsOf(scope));
  listRequests = [];
  spy = nc.subscribe(subjects.authBlocksList, { callback: (_err, msg) => void listRequests.push(JSON.parse(msg.string()).user_id) });
  await nc.flush();
  blocks = createGatewayBlocks({ nc, subjects, log });
});
afterAll(async () => {
  blocks?.close();
  spy?.unsubscribe();
  await nc?.drain().catch(() => undefined);
  await stack?.destroy();
});

const block = (by: TestUser, whom: TestUser, method: 'POST' | 'DELETE' = 'POST') =>
  api(authUrl, method, `/api/v1/users/${whom.id}/block`, { token: by.token });
const until = (what: string, check: () => boolean) => waitUntil(async () => (check() ? true : undefined), { what, timeoutMs: 5000, intervalMs: 20 });

describe('the gateway copy of the blocks', () => {
  it('loads a user\'s blocks both ways at the first acquire, follows block events, and asks auth nothing per check', async () => {
    const [ann, bob, cy, dan] = await Promise.all([registerUser(authUrl, 'ga'), registerUser(authUrl, 'gb'), registerUser(authUrl, 'gc'), registerUser(authUrl, 'gd')]);
    expect((await block(ann, bob)).status).toBe(200);
    expect((await block(cy, ann)).status).toBe(200);
    const asked = listRequests.length;
    await blocks.acquire(ann.id);
    await blocks.acquire(ann.id);
    expect(listRequests.slice(asked)).toEqual([ann.id]);
    expect([blocks.isBlockedPair(ann.id, bob.id), blocks.isBlockedPair(bob.id, ann.id), blocks.isBlockedPair(ann.id, cy.id)]).toEqual([true, true, true]);
    expect(blocks.isBlockedPair(ann.id, dan.id)).toBe(false);

    // Changes after the load come as events.
    expect((await block(dan, ann)).status).toBe(200);
    await until('dan\'s block of ann known', () => blocks.isBlockedPair(ann.id, dan.id));
    expect((await block(ann, bob, 'DELETE')).status).toBe(200);
    await until('ann\'s unblock of bob known', () => !blocks.isBlockedPair(bob.id, ann.id));

    for (let i = 0; i < 10_000; i++) blocks.isBlockedPair(ann.id, i % 2 ? cy.id : bob.id);
    await sleep(100);
    expect(listRequests.slice(asked)).toEqual([ann.id]);

    // Two acquires, two releases: known until the last one, then forgotten (and no longer followed).
    blocks.release(ann.id);
    expect(blocks.isBlockedPair(ann.id, cy.id)).toBe(true);
    blocks.release(ann.id);
    expect(blocks.isBlockedPair(ann.id, cy.id)).toBe(false);
    expect((await block(bob, ann)).status).toBe(200);
    await sleep(200);
    expect(blocks.isBlockedPair(ann.id, bob.id)).toBe(false);
  });

  it('loads the list once per user through a real gateway, for the first socket only, and again after the last one closed', async () => {
    const gw = await startGatewayWithStats(stack, scope);
    try {
      const [ann, bob] = await Promise.all([registerUser(gw.url, 'gw'), registerUser(gw.url, 'gx')]);
      expect((await block(ann, bob)).status).toBe(200);
      const asked = listRequests.length;
      const first = await openSocket(gw.url, { token: ann.token });
      const second = await openSocket(gw.url, { token: ann.token });
      // The blocked one connects as ever: a block keeps the pair apart, it does not lock anyone out.
      const other = await openSocket(gw.url, { token: bob.token });
      expect(listRequests.slice(asked).sort()).toEqual([ann.id, bob.id].sort());
      first.close();
      second.close();
      await until('ann gone from the gateway', () => gw.service.stats().users === 1);
      (await openSocket(gw.url, { token: ann.token })).close();
      expect(listRequests.slice(asked).filter((id) => id === ann.id)).toHaveLength(2);
      other.close();
    } finally {
      await gw.stop();
    }
  });

  it('fails the acquire when auth cannot answer (the admission then answers 503)', async () => {
    const ann = await registerUser(authUrl, 'gz');
    await stack.get('auth').stop();
    await expect(blocks.acquire(ann.id)).rejects.toMatchObject({ status: 503 });
  });
});
