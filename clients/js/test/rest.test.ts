import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startStack, testScope, uniqueName, type Stack } from '@chatroulette/testing';
import { ApiError, ConnectionError, reportReasons } from '../src/index.js';
import { clientOf, PASSWORD, signedIn } from './helpers.js';

const scope = testScope('client-rest');
const moderatorName = uniqueName('mod');
let stack: Stack;
let base: string;

beforeAll(async () => {
  const ice = { STUN_URLS: 'stun:stun.example.test:3478', TURN_URLS: 'turn:turn.example.test:3478?transport=udp', TURN_SECRET: 'a-turn-secret-of-the-tests', TURN_TTL_SECONDS: '600' };
  stack = await startStack({ infra: scope, env: { auth: ice, roulette: { MODERATOR_USERNAMES: moderatorName } }, instances: [['auth', 'messages', 'media'], 'roulette', 'gateway'] });
  base = stack.get('gateway').url;
});
afterAll(() => stack?.destroy());

/** The error a call rejects with (the test fails when it resolves). */
async function failure(call: Promise<unknown>): Promise<ApiError> {
  const err = await call.then(() => new Error('resolved'), (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

/** The smallest valid PNG: one transparent pixel. */
const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));

describe('auth and sessions', () => {
  it('registers, logs in, reads and edits the profile, renews, changes the password and logs out, keeping the token current', async () => {
    const client = clientOf(base);
    const tokens: (string | null)[] = [];
    client.onToken((t) => tokens.push(t));
    const username = uniqueName('rest');

    const registered = await client.auth.register({ username, password: PASSWORD });
    expect(registered.user).toEqual({ id: expect.any(String), username, created_at: expect.any(String) });
    expect(client.token).toBe(registered.token);

    const other = clientOf(base);
    const login = await other.auth.login({ username, password: PASSWORD });
    expect(login.user).toEqual({ id: registered.user.id, username, is_online: false, last_seen: null });

    expect(await client.auth.updateProfile({ display_name: 'Ann', bio: 'hi' })).toMatchObject({ id: registered.user.id, display_name: 'Ann', bio: 'hi', avatar_url: null });
    expect(await client.auth.profile()).toMatchObject({ username, display_name: 'Ann', created_at: registered.user.created_at });
    expect(await other.users.profile(registered.user.id)).toMatchObject({ id: registered.user.id, username, display_name: 'Ann' });

    const renewed = await client.auth.refresh();
    expect(renewed).toEqual({ token: expect.any(String), expires_at: expect.any(String) });
    expect(client.token).toBe(renewed.token);

    const changed = await client.auth.changePassword({ current_password: PASSWORD, new_password: 'another good one' });
    expect(client.token).toBe(changed.token);
    // The other session's token was issued before the change: refused now.
    expect((await failure(other.auth.profile())).status).toBe(401);

    await client.auth.logout();
    expect(client.token).toBeNull();
    expect(tokens).toEqual([registered.token, renewed.token, changed.token, null]);
    expect((await failure(clientOf(base, { token: changed.token }).auth.profile())).status).toBe(401);
  });
});

describe('typed errors', () => {
  it('carry the status, the code and the message of the answer', async () => {
    const { client, user } = await signedIn(base, 'err');
    const taken = await failure(clientOf(base).auth.register({ username: user.username, password: PASSWORD }));
    expect({ status: taken.status, code: taken.code, message: taken.message }).toEqual({ status: 409, code: 'conflict', message: 'Username is already taken' });

    const invalid = await failure(clientOf(base).auth.register({ username: 'x', password: PASSWORD }));
    expect([invalid.status, invalid.code]).toEqual([400, 'bad_request']);

    const wrong = await failure(clientOf(base).auth.login({ username: user.username, password: 'not the password' }));
    expect([wrong.status, wrong.code, wrong.retryAfter]).toEqual([401, 'unauthorized', null]);

    const unknown = await failure(client.users.profile('00000000-0000-4000-8000-000000000000'));
    expect([unknown.status, unknown.code]).toEqual([404, 'not_found']);
    expect(unknown.requestId).toMatch(/./);

    const { client: stranger } = await signedIn(base, 'str');
    const { user: friend } = await signedIn(base, 'fr');
    const chat = await client.chats.create({ participant_ids: [friend.id] });
    const forbidden = await failure(stranger.chats.get(chat.id));
    expect([forbidden.status, forbidden.code]).toEqual([403, 'forbidden']);
  });

  it('a 429 carries Retry-After in seconds (a username locked after failed logins)', async () => {
    const { user } = await signedIn(base, 'lock');
    const client = clientOf(base);
    let locked: ApiError | undefined;
    for (let i = 0; i < 10 && !locked; i++) {
      const err = await failure(client.auth.login({ username: user.username, password: 'wrong password' }));
      if (err.status === 429) locked = err;
      else expect(err.status).toBe(401);
    }
    expect(locked).toMatchObject({ status: 429, code: 'too_many_requests' });
    expect(locked!.retryAfter).toBeGreaterThanOrEqual(1);
  });

  it('no answer at all is a ConnectionError', async () => {
    const nowhere = clientOf(`http://127.0.0.1:${await freePort()}`);
    const err = await nowhere.auth.login({ username: 'someone', password: PASSWORD }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
  });
});

describe('chats and messages', () => {
  it('creates a chat, sends, pages the history, edits, reads, likes and deletes', async () => {
    const { client: ann, user: annUser } = await signedIn(base, 'ann');
    const { client: bob, user: bobUser } = await signedIn(base, 'bob');
    const chat = await ann.chats.create({ participant_ids: [bobUser.id], name: 'Ours' });
    expect(chat).toMatchObject({ type: 'private', name: 'Ours', created_by: annUser.id, last_seq: 0 });
    expect(chat.participants.map((p) => p.user_id).sort()).toEqual([annUser.id, bobUser.id].sort());
    expect((await bob.chats.list()).map((c) => c.id)).toContain(chat.id);

    const sent: string[] = [];
    for (const content of ['one', 'two', 'three']) sent.push((await ann.chats.send(chat.id, { type: 'text', content })).id);
    expect((await bob.chats.get(chat.id)).last_seq).toBe(3);
    expect((await bob.chats.messages(chat.id)).map((m) => m.content)).toEqual(['one', 'two', 'three']);
    expect((await bob.chats.messages(chat.id, { limit: 1, before: sent[2] })).map((m) => m.content)).toEqual(['two']);

    const again = await ann.chats.send(chat.id, { type: 'text', content: 'once', client_message_id: 'k1' });
    expect((await ann.chats.send(chat.id, { type: 'text', content: 'once', client_message_id: 'k1' })).id).toBe(again.id);

    expect(await ann.messages.edit(sent[0]!, { content: 'uno' })).toMatchObject({ id: sent[0], content: 'uno', is_edited: true, status: 'edited' });
    expect((await failure(bob.messages.edit(sent[0]!, { content: 'mine now' }))).status).toBe(403);

    expect(await bob.messages.read(sent[1]!)).toMatchObject({ message_id: sent[1], status: 'read', read_by: [bobUser.id] });
    expect(await ann.messages.status(sent[1]!)).toMatchObject({ status: 'read', read_by: [bobUser.id] });

    expect(await bob.messages.like(sent[1]!)).toMatchObject({ message_id: sent[1], likes_count: 1, liked_by: [bobUser.id], is_liked: true });
    expect(await ann.messages.likes(sent[1]!)).toMatchObject({ likes_count: 1, is_liked_by_user: false });
    expect(await bob.messages.unlike(sent[1]!)).toMatchObject({ likes_count: 0, is_liked: false });

    expect(await ann.messages.delete(sent[2]!)).toEqual({ message_id: sent[2] });
    expect((await bob.chats.messages(chat.id)).map((m) => m.content)).toEqual(['uno', 'two', 'once']);
  });
});

describe('chatroulette', () => {
  it('searches, matches, reports the status, saves once, skips and cancels', async () => {
    const { client: ann } = await signedIn(base, 'rann');
    const { client: bob, user: bobUser } = await signedIn(base, 'rbob');
    expect(await ann.roulette.search({ interests: ['client-rest'] })).toEqual({ status: 'searching' });
    const matched = await bob.roulette.search({ interests: ['client-rest'] });
    if (matched.status !== 'matched') throw new Error(`not matched: ${JSON.stringify(matched)}`);
    const status = await ann.roulette.status();
    expect(status).toMatchObject({ status: 'matched', chat_id: matched.chat_id, user: { id: bobUser.id, username: bobUser.username }, queue_size: expect.any(Number) });

    const saved = await ann.roulette.save(matched.chat_id);
    expect(saved.chat).toMatchObject({ id: matched.chat_id, type: 'saved' });
    expect((await failure(ann.roulette.save(matched.chat_id))).status).toBe(409);

    expect(await ann.roulette.skip(matched.chat_id)).toEqual({ status: 'idle' });
    expect(await bob.roulette.status()).toMatchObject({ status: 'idle' });
    expect(await bob.roulette.search()).toEqual({ status: 'searching' });
    expect(await bob.roulette.cancel()).toEqual({ status: 'idle' });
  });
});

describe('media', () => {
  it('uploads a file, serves it at its URL, refuses what it cannot tell, and deletes it for its owner only', async () => {
    const { client } = await signedIn(base, 'media');
    const { client: other } = await signedIn(base, 'media');
    const upload = await client.media.upload(new Blob([png], { type: 'application/octet-stream' }), 'pixel.bin');
    expect(upload).toMatchObject({ media_type: 'image', content_type: 'image/png', size: png.byteLength, file_url: expect.stringMatching(/^\/uploads\//) });
    const served = await fetch(client.media.url(upload.file_url));
    expect([served.status, served.headers.get('content-type'), (await served.arrayBuffer()).byteLength]).toEqual([200, 'image/png', png.byteLength]);

    const refused = await failure(client.media.upload(new Blob(['just some text']), 'a.txt'));
    expect(refused.status).toBe(415);

    expect((await failure(other.media.delete(upload.file_id))).status).toBe(404);
    expect(await client.media.delete(upload.file_id)).toEqual({ message: expect.any(String) });
    expect((await fetch(client.media.url(upload.file_url))).status).toBe(404);
  });
});


describe('video calls', () => {
  it('gets the ICE servers: STUN as configured, TURN with a credential of the caller that expires after the ttl', async () => {
    const { client, user } = await signedIn(base, 'ice');
    const before = Math.floor(Date.now() / 1000);
    const { ice_servers, ttl } = await client.rtc.iceServers();
    expect(ttl).toBe(600);
    expect(ice_servers[0]).toEqual({ urls: ['stun:stun.example.test:3478'] });
    const turn = ice_servers[1]!;
    expect(turn).toEqual({ urls: ['turn:turn.example.test:3478?transport=udp'], username: expect.stringMatching(new RegExp(`^\\d+:${user.id}$`)), credential: expect.any(String) });
    const expiry = Number(turn.username!.split(':')[0]);
    expect(expiry).toBeGreaterThanOrEqual(before + 600);
    expect(expiry).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 600);
    expect((await failure(clientOf(base).rtc.iceServers())).status).toBe(401);
  });
});

describe('blocking, reporting, moderation', () => {
  it('blocks and unblocks, listing whom the caller blocks; refuses oneself and unknown users', async () => {
    const { client: ann, user: annUser } = await signedIn(base, 'bann');
    const { user: bob } = await signedIn(base, 'bbob');
    expect(await ann.users.block(bob.id)).toEqual({ user_id: bob.id, blocked: true });
    expect(await ann.users.block(bob.id)).toEqual({ user_id: bob.id, blocked: true });
    expect(await ann.users.blocks()).toEqual({ blocks: [{ user_id: bob.id, username: bob.username, blocked_at: expect.any(String) }] });
    expect((await failure(ann.users.block(annUser.id))).status).toBe(400);
    expect((await failure(ann.users.block('00000000-0000-4000-8000-000000000000'))).status).toBe(404);
    expect(await ann.users.unblock(bob.id)).toEqual({ user_id: bob.id, blocked: false });
    expect(await ann.users.blocks()).toEqual({ blocks: [] });
  });

  it('reports a match with a reason of the contract (the match ends, the partner is blocked); a moderator lists it and suspends, others are refused', async () => {
    expect(reportReasons).toEqual(['spam', 'harassment', 'nudity', 'underage', 'violence', 'other']);
    const { client: ann } = await signedIn(base, 'rpann');
    const { client: bob, user: bobUser } = await signedIn(base, 'rpbob');
    const mod = clientOf(base);
    await mod.auth.register({ username: moderatorName, password: PASSWORD });
    await ann.roulette.search({ interests: ['client-safety'] });
    const matched = await bob.roulette.search({ interests: ['client-safety'] });
    if (matched.status !== 'matched') throw new Error(`not matched: ${JSON.stringify(matched)}`);
    await bob.chats.send(matched.chat_id, { type: 'text', content: 'the evidence' });

    const report = await ann.roulette.report(matched.chat_id, { reason: 'spam', details: 'sells things' });
    expect(report).toEqual({ report_id: expect.any(String), status: 'received' });
    expect((await failure(ann.roulette.report(matched.chat_id, { reason: 'spam' }))).status).toBe(409);
    expect(await bob.roulette.status()).toMatchObject({ status: 'idle' });
    expect((await ann.users.blocks()).blocks.map((b) => b.user_id)).toEqual([bobUser.id]);

    expect((await failure(ann.moderation.reports())).status).toBe(403);
    const { reports } = await mod.moderation.reports({ status: 'open' });
    const mine = reports.find((r) => r.id === report.report_id);
    expect(mine).toMatchObject({ reported_id: bobUser.id, chat_id: matched.chat_id, reason: 'spam', details: 'sells things', status: 'open' });
    expect(mine?.messages.map((m) => m.content)).toEqual(['the evidence']);

    const suspended = await mod.moderation.suspend(bobUser.id, { hours: 1 });
    expect(Date.parse(suspended.suspended_until ?? '')).toBeGreaterThan(Date.now());
    const refused = await failure(bob.roulette.search());
    expect([refused.status, refused.code]).toEqual([403, 'suspended']);
    expect(await mod.moderation.lift(bobUser.id)).toEqual({ user_id: bobUser.id, suspended_until: null });
    expect(await bob.roulette.search()).toEqual({ status: 'searching' });
    await bob.roulette.cancel();
  });
});
