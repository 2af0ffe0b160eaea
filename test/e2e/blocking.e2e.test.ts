import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { withDatabase } from '@chatroulette/db';
import { api, createChat, openSocket, registerUsers, sleep, startStack, testScope, waitUntil, type Instance, type Stack, type TestUser } from '@chatroulette/testing';

// Blocking through the gateway: auth owns the blocks; messages and roulette keep copies, fed by their
// durable consumers of BLOCK_EVENTS (docs/contract.md, "Blocking and reporting").
const scope = testScope('e2e-blocking');
let stack: Stack;
let gw: Instance;
let rouletteDb: pg.Client;

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    // No skip cooldown: only the block keeps a pair apart.
    env: { roulette: { ROULETTE_MATCHER_LOOP_MS: '100', ROULETTE_RELAY_LOOP_MS: '100', ROULETTE_SKIP_COOLDOWN_MS: '0' } },
    instances: ['auth', 'messages', 'roulette', 'gateway'],
  });
  gw = stack.get('gateway');
  rouletteDb = new pg.Client({ connectionString: withDatabase(scope.databaseUrl, scope.database('roulette')) });
  await rouletteDb.connect();
});
afterAll(async () => {
  await rouletteDb?.end();
  await stack?.destroy();
});

const block = (by: TestUser, whom: string, method: 'POST' | 'DELETE' = 'POST') => api(gw.url, method, `/api/v1/users/${whom}/block`, { token: by.token });
const blocksOf = (u: TestUser) => api(gw.url, 'GET', '/api/v1/users/blocks', { token: u.token });
const send = (u: TestUser, chatId: string, content = 'hi') =>
  api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: u.token, body: { type: 'text', content } });
const search = (u: TestUser) => api(gw.url, 'POST', '/api/v1/chatroulette/search', { token: u.token });
const status = (u: TestUser) => api(gw.url, 'GET', '/api/v1/chatroulette/status', { token: u.token });
const users = <N extends number>(n: N, prefix: string) => registerUsers(gw.url, n, prefix);

/** Waits until `attempt` answers `wanted` (the copies follow auth within milliseconds). */
async function answers(what: string, attempt: () => Promise<{ status: number }>, wanted: number) {
  return waitUntil(async () => ((await attempt()).status === wanted ? true : undefined), { what, timeoutMs: 5000, intervalMs: 25 });
}

/** Whether roulette's copy has the pair blocked (the matcher reads it). */
async function rouletteKnows(blocker: TestUser, blocked: TestUser, isBlocked = true) {
  await waitUntil(
    async () => {
      const { rows } = await rouletteDb.query('select blocked from user_blocks where blocker_id = $1 and blocked_id = $2', [blocker.id, blocked.id]);
      return rows[0]?.blocked === isBlocked ? true : undefined;
    },
    { what: 'roulette has the block', timeoutMs: 5000, intervalMs: 25 },
  );
}

async function matchedPair(a: TestUser, b: TestUser): Promise<string> {
  expect((await search(a)).status).toBe(202);
  const found = await search(b);
  expect(found.body).toMatchObject({ status: 'matched', user: { id: a.id } });
  return found.body.chat_id;
}

describe('blocking', () => {
  it('refuses bad input with its documented error and stores nothing', async () => {
    const [ann] = await users(1, 'bk');
    expect(await block(ann, 'not-a-uuid')).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    expect(await block(ann, ann.id)).toMatchObject({ status: 400, body: { code: 'bad_request', error: expect.stringMatching(/yourself/) } });
    expect(await block(ann, ann.id.toUpperCase())).toMatchObject({ status: 400 });
    expect(await block(ann, randomUUID())).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect((await api(gw.url, 'POST', `/api/v1/users/${randomUUID()}/block`)).status).toBe(401);
    expect((await api(gw.url, 'GET', '/api/v1/users/blocks')).status).toBe(401);
    expect(await blocksOf(ann)).toMatchObject({ status: 200, body: { blocks: [] } });
  });

  it('blocks, answers the same again, lists the blocks newest first, and unblocks', async () => {
    const [ann, bob, cy] = await users(3, 'bl');
    expect(await block(ann, bob.id)).toMatchObject({ status: 200, body: { user_id: bob.id, blocked: true } });
    expect((await block(ann, bob.id)).body).toEqual({ user_id: bob.id, blocked: true });
    expect((await block(ann, cy.id)).body).toEqual({ user_id: cy.id, blocked: true });
    const listed = await blocksOf(ann);
    expect(listed.body.blocks.map((b: { user_id: string }) => b.user_id)).toEqual([cy.id, bob.id]);
    expect(listed.body.blocks[1]).toEqual({ user_id: bob.id, username: bob.username, blocked_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    // The blocked one sees nothing of it in their own list.
    expect((await blocksOf(bob)).body.blocks).toEqual([]);
    expect(await block(ann, bob.id, 'DELETE')).toMatchObject({ status: 200, body: { user_id: bob.id, blocked: false } });
    expect((await block(ann, bob.id, 'DELETE')).body).toEqual({ user_id: bob.id, blocked: false });
    expect((await blocksOf(ann)).body.blocks.map((b: { user_id: string }) => b.user_id)).toEqual([cy.id]);
  });

  it('refuses sends, likes and new chats between a blocked pair, either way, in every chat; the others go on', async () => {
    const [ann, bob, cy] = await users(3, 'bs');
    const pair = await createChat(gw.url, ann, [bob]);
    const group = await createChat(gw.url, cy, [ann, bob]);
    const bobs = await send(bob, pair, 'before');
    expect(bobs.status).toBe(201);
    expect((await block(ann, bob.id)).status).toBe(200);

    await answers('a send of the blocker refused', () => send(ann, pair), 403);
    expect(await send(bob, pair)).toMatchObject({ status: 403, body: { code: 'blocked' } });
    expect((await send(ann, group)).status).toBe(403);
    expect((await send(bob, group)).status).toBe(403);
    // cy is in no blocked pair: the group still takes cy's messages.
    const cys = await send(cy, group, 'from cy');
    expect(cys.status).toBe(201);
    expect(await api(gw.url, 'POST', `/api/v1/messages/${bobs.body.id}/like`, { token: ann.token })).toMatchObject({ status: 403, body: { code: 'blocked' } });
    expect((await api(gw.url, 'POST', `/api/v1/messages/${cys.body.id}/like`, { token: ann.token })).status).toBe(200);
    for (const [by, other] of [[ann, bob], [bob, ann]] as const) {
      const created = await api(gw.url, 'POST', '/api/v1/chats', { token: by.token, body: { type: 'private', participant_ids: [other.id] } });
      expect(created).toMatchObject({ status: 403, body: { code: 'blocked' } });
    }
    // Nothing was stored by the refusals.
    const history = await api(gw.url, 'GET', `/api/v1/chats/${pair}/messages`, { token: ann.token });
    expect(history.body.map((m: { content: string }) => m.content)).toEqual(['before']);
    expect((await api(gw.url, 'GET', `/api/v1/messages/${bobs.body.id}/likes`, { token: bob.token })).body.likes_count).toBe(0);

    expect((await block(ann, bob.id, 'DELETE')).status).toBe(200);
    await answers('a send after the unblock', () => send(bob, pair, 'after'), 201);
    expect((await api(gw.url, 'POST', `/api/v1/messages/${bobs.body.id}/like`, { token: ann.token })).status).toBe(200);
  });

  it('ends a live roulette chat at once as a skip by the blocker, and never matches the pair again', async () => {
    const [ann, bob] = await users(2, 'br');
    const chatId = await matchedPair(ann, bob);
    const inChat = await openSocket(gw.url, { token: bob.token, chat_id: chatId });
    expect((await block(ann, bob.id)).status).toBe(200);
    const [left] = await inChat.waitFor((f) => f.type === 'chatroulette_left', 1, 5000);
    expect(left).toMatchObject({ chat_id: chatId, payload: { user_id: ann.id, username: ann.username } });
    expect((await status(ann)).body.status).toBe('idle');
    expect((await status(bob)).body.status).toBe('idle');
    // Closed, and (once messages' copy has the block, which comes on its own consumer) between a blocked pair: the block is said first.
    await answers('a send in the ended chat refused as blocked', () => send(bob, chatId), 403);

    // Either may search first: they wait side by side, and a third searcher takes one of them.
    await rouletteKnows(ann, bob);
    expect((await search(bob)).status).toBe(202);
    expect((await search(ann)).status).toBe(202);
    await sleep(400); // a few matcher runs
    expect((await status(ann)).body.status).toBe('searching');
    const [cy] = await users(1, 'bc');
    expect((await search(cy)).body).toMatchObject({ status: 'matched', user: { id: bob.id } });
    for (const u of [ann, bob, cy]) await api(gw.url, 'DELETE', '/api/v1/chatroulette/search', { token: u.token });
    inChat.close();
  });

  it('loses no block made while messages and roulette are down: their durable consumers catch up when they come back', async () => {
    const [ann, bob, cy] = await users(3, 'bd');
    const pair = await createChat(gw.url, ann, [bob]);
    const messages = stack.get('messages');
    const roulette = stack.get('roulette');
    await messages.stop();
    await roulette.stop();
    expect((await block(bob, ann.id)).status).toBe(200);
    expect((await block(cy, ann.id)).status).toBe(200);
    expect((await block(cy, ann.id, 'DELETE')).status).toBe(200);
    await stack.start({ service: 'messages', port: messages.port });
    await stack.start({ service: 'roulette', port: roulette.port });
    await answers('the block made while messages was down', () => send(ann, pair), 403);
    await rouletteKnows(bob, ann);
    await rouletteKnows(cy, ann, false);
    expect((await search(ann)).status).toBe(202);
    expect((await search(bob)).status).toBe(202);
    // The unblock made meanwhile came through too: cy may meet ann.
    expect((await search(cy)).body).toMatchObject({ status: 'matched', user: { id: ann.id } });
    for (const u of [ann, bob, cy]) await api(gw.url, 'DELETE', '/api/v1/chatroulette/search', { token: u.token });
  });

  it('refuses typing and rtc_signal between a blocked pair, either way, with an error frame; the socket stays open', async () => {
    const [ann, bob] = await users(2, 'lv');
    const chatId = await createChat(gw.url, ann, [bob]);
    const [sa, sb] = await Promise.all([openSocket(gw.url, { token: ann.token, chat_id: chatId }), openSocket(gw.url, { token: bob.token, chat_id: chatId })]);
    try {
      sa.send({ type: 'typing' });
      await sb.waitFor((f) => f.type === 'typing');
      expect((await block(ann, bob.id)).status).toBe(200);
      // The gateway's copy follows the block event: once a typing frame is refused, it knows.
      const nextError = async (sock: typeof sa, frame: unknown) => {
        const before = sock.ofType('error').length;
        sock.send(frame);
        return (await sock.waitFor((f) => f.type === 'error', before + 1, 1000).catch(() => []))[before];
      };
      const typingRefused = await waitUntil(async () => {
        const error = await nextError(sa, { type: 'typing' });
        return error?.payload.code === 'blocked' ? error : undefined;
      }, { what: 'the gateway has the block', timeoutMs: 5000, intervalMs: 50 });
      expect(typingRefused).toMatchObject({ chat_id: chatId, payload: { code: 'blocked' } });
      // Either way round: the blocked one's signal is refused too.
      expect(await nextError(sb, { type: 'rtc_signal', payload: { kind: 'offer', data: { sdp: 'v=0' } } })).toMatchObject({ chat_id: chatId, payload: { code: 'blocked' } });
      // Nothing reached the other side after the block, and both sockets are open.
      sa.send({ type: 'ping' });
      await sa.waitFor((f) => f.type === 'pong');
      expect(sa.ofType('rtc_signal')).toEqual([]);
      expect(sb.ofType('typing').length).toBe(1);
    } finally {
      sa.close();
      sb.close();
    }
  });
});
