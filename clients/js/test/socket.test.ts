import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, startTcpProxy, testScope, type Stack, type TcpProxy } from '@chatroulette/testing';
import { generatePrivateKeyPem, loadSigningKey, signToken } from '@chatroulette/tokens';
import { closeCodes, type TokenReason } from '../src/index.js';
import { AppView, clientOf, openView, PASSWORD, signedIn } from './helpers.js';

const scope = testScope('client-socket');
/** Auth signs with a key this test holds too, to hand out tokens of a few seconds. */
const privateKeyPem = generatePrivateKeyPem();
const key = loadSigningKey(privateKeyPem);
let stack: Stack;
let base: string;
/** In front of the first gateway: its link can be cut. */
let proxy: TcpProxy;
/** In front of the second gateway, which replays at most 3 events. */
let shortMemory: TcpProxy;
const views: AppView[] = [];

beforeAll(async () => {
  stack = await startStack({
    infra: scope,
    env: { auth: { AUTH_PRIVATE_KEY: privateKeyPem } },
    instances: [['auth', 'messages'], 'roulette', 'gateway', { service: 'gateway', env: { GATEWAY_MAX_REPLAY_EVENTS: '3' } }],
  });
  base = stack.get('gateway').url;
  proxy = await startTcpProxy(stack.get('gateway', 0).port);
  shortMemory = await startTcpProxy(stack.get('gateway', 1).port);
});
afterAll(async () => {
  for (const v of views) v.socket.close();
  await proxy?.close();
  await shortMemory?.close();
  await stack?.destroy();
});

const via = (p: TcpProxy) => `http://127.0.0.1:${p.port}`;
const keep = (v: AppView) => (views.push(v), v);

/** Two signed-in users and their private chat; the first reaches the gateway through `baseA`. */
async function pair(baseA = base) {
  const a = await signedIn(baseA, 'ann');
  const b = await signedIn(base, 'bob');
  const chat = await a.client.chats.create({ participant_ids: [b.user.id] });
  return { a, b, chatId: chat.id };
}

describe('events', () => {
  it('delivers every chat event typed, once and in seq order, the same to both participants', async () => {
    const { a, b, chatId } = await pair();
    const [av, bv] = [keep(await openView(a.client, chatId)), keep(await openView(b.client, chatId))];
    const edited: string[] = [];
    const liked: number[] = [];
    bv.socket.on('message_edited', (p) => edited.push(p.content));
    bv.socket.on('message_liked', (p, frame) => liked.push(p.likes_count, frame.seq));

    const m = await a.client.chats.send(chatId, { type: 'text', content: 'hello' });
    await a.client.messages.edit(m.id, { content: 'hello!' });
    await b.client.messages.read(m.id);
    await b.client.messages.like(m.id);
    await b.client.messages.unlike(m.id);
    await a.client.messages.delete(m.id);
    const last = (await a.client.chats.get(chatId)).last_seq;
    await Promise.all([av, bv].map((v) => v.until(`seq ${last}`, () => v.socket.lastSeq === last)));

    for (const v of [av, bv]) {
      expect(v.seqs()).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      expect(v.chatEvents().map((f) => f.type).filter((t) => t !== 'message_status_update')).toEqual(['new_message', 'message_edited', 'message_liked', 'message_unliked', 'message_deleted']);
    }
    expect(bv.chatEvents()).toEqual(av.chatEvents());
    expect(av.messages()[0]).toMatchObject({ id: m.id, content: 'hello', user: { id: a.user.id, username: a.user.username } });
    expect(edited).toEqual(['hello!']);
    expect(liked).toEqual([1, expect.any(Number)]);
  });

  it('tells each user of a roulette match once on a socket without a chat, and the partner of a skip on the chat', async () => {
    const a = await signedIn(base, 'rann');
    const b = await signedIn(base, 'rbob');
    const [au, bu] = [keep(await openView(a.client)), keep(await openView(b.client))];
    const partners: string[] = [];
    au.socket.on('chatroulette_match', (p) => partners.push(p.user.id));
    bu.socket.on('chatroulette_match', (p) => partners.push(p.user.id));
    await a.client.roulette.search({ interests: ['client-socket'] });
    const matched = await b.client.roulette.search({ interests: ['client-socket'] });
    if (matched.status !== 'matched') throw new Error(`not matched: ${JSON.stringify(matched)}`);
    await au.until('both told', () => partners.length === 2);
    expect(partners.sort()).toEqual([a.user.id, b.user.id].sort());

    const bc = keep(await openView(b.client, matched.chat_id));
    const left: string[] = [];
    bc.socket.on('chatroulette_left', (p) => left.push(p.user_id));
    await a.client.roulette.skip(matched.chat_id);
    await bc.until('chatroulette_left', () => left.length === 1);
    expect(left).toEqual([a.user.id]);
    expect([au, bu].map((v) => v.frames.filter((f) => f.type === 'chatroulette_match').length)).toEqual([1, 1]);
  });
});

describe('reconnect and recovery', () => {
  it('reconnects after the link breaks and replays what it missed with since: every message once, in order', async () => {
    const { a, b, chatId } = await pair(via(proxy));
    const av = keep(await openView(a.client, chatId));
    for (const content of ['1', '2']) await b.client.chats.send(chatId, { type: 'text', content });
    await av.messageCount(2);

    proxy.cut();
    await av.until('reconnecting', () => av.socket.state === 'reconnecting');
    for (const content of ['3', '4', '5', '6', '7']) await b.client.chats.send(chatId, { type: 'text', content });
    proxy.restore();
    await av.messageCount(7);
    await av.until('recovered', () => av.recovered.length > 0);

    const history = await b.client.chats.messages(chatId);
    expect(av.messages().map((m) => m.id)).toEqual(history.map((m) => m.id));
    expect(av.seqs()).toEqual(Array.from({ length: av.seqs().length }, (_, i) => i + 1));
    expect(av.states).toEqual(['open', 'reconnecting', 'open']);
    expect(av.resets).toEqual([]);
  });

  it('when the events missed are no longer kept, tells the app to reload (reset) and goes on after that seq', async () => {
    const { a, b, chatId } = await pair(via(shortMemory));
    const av = keep(await openView(a.client, chatId));
    await b.client.chats.send(chatId, { type: 'text', content: 'seen' });
    await av.messageCount(1);

    shortMemory.cut();
    await av.until('reconnecting', () => av.socket.state === 'reconnecting');
    for (let i = 0; i < 6; i++) await b.client.chats.send(chatId, { type: 'text', content: `missed ${i}` });
    const lastSeq = (await b.client.chats.get(chatId)).last_seq;
    shortMemory.restore();
    await av.until('reset', () => av.resets.length === 1);
    expect(av.resets).toEqual([lastSeq]);
    // The app reloads the history; the socket does not replay what it holds.
    expect((await a.client.chats.messages(chatId)).length).toBe(7);
    expect(av.messages().map((m) => m.content)).toEqual(['seen']);

    const after = await b.client.chats.send(chatId, { type: 'text', content: 'after' });
    await av.messageCount(2);
    expect(av.messages().map((m) => m.id)).toEqual([av.messages()[0]!.id, after.id]);
    expect(av.frames.find((f) => f.type === 'new_message' && f.payload.id === after.id)).toMatchObject({ seq: lastSeq + 1 });
  });
});

describe('tokens', () => {
  it('renews its token over the socket before it expires, and outlives the first tokens without a reconnect', async () => {
    const { a, b, chatId } = await pair();
    const reasons: TokenReason[] = [];
    const short = () => signToken(key, { sub: a.user.id, username: a.user.username }, 6);
    const first = short();
    const client = clientOf(base, { token: first, getToken: ({ reason }) => (reasons.push(reason), short()) });
    const av = keep(await openView(client, chatId));
    const renewals: number[] = [];
    av.socket.on('renewed', ({ exp }) => renewals.push(exp));
    const firstExp = JSON.parse(atob(first.split('.')[1]!)).exp as number;

    await av.until('two renewals past the first expiry', () => renewals.length >= 2 && Date.now() > firstExp * 1000 + 1000, 20_000);
    const m = await b.client.chats.send(chatId, { type: 'text', content: 'still here' });
    await av.messageCount(1);
    expect(av.messages()[0]!.id).toBe(m.id);
    expect(av.states).toEqual(['open']);
    expect(renewals[1]!).toBeGreaterThan(renewals[0]!);
    expect(renewals[0]!).toBeGreaterThan(firstExp);
    expect(reasons.every((r) => r === 'renew')).toBe(true);
    expect(client.token).not.toBe(first);
  }, 30_000);

  it('a revoked token (4401) stops the socket as unauthorized when no new token can be had', async () => {
    const { client } = await signedIn(base, 'revoked');
    const view = keep(await openView(client));
    await clientOf(base, { token: client.token }).auth.logout();
    await view.until('closed', () => view.socket.state === 'closed');
    expect(view.socket.closed).toEqual({ cause: 'unauthorized', code: closeCodes.tokenExpired, reason: expect.any(String) });
  });

  it('a revoked token (4401) with a token provider reconnects with its new token and misses nothing', async () => {
    const { a, b, chatId } = await pair();
    const login = async () => (await clientOf(base).auth.login({ username: a.user.username, password: PASSWORD })).token;
    const client = clientOf(base, { token: a.client.token, getToken: login });
    const av = keep(await openView(client, chatId));
    const revoked = client.token;
    await clientOf(base, { token: revoked }).auth.logout();
    await b.client.chats.send(chatId, { type: 'text', content: 'during' });
    await av.messageCount(1);
    await av.until('open again', () => av.socket.state === 'open' && av.states.length >= 3);
    expect(av.states).toEqual(['open', 'reconnecting', 'open']);
    expect(client.token).not.toBe(revoked);
    await b.client.chats.send(chatId, { type: 'text', content: 'after' });
    await av.messageCount(2);
    expect(av.messages().map((m) => m.content)).toEqual(['during', 'after']);
  });

  it('a token refused at the first frame (4501) stops as unauthorized: it is not retried as it is', async () => {
    const view = keep(new AppView(clientOf(base, { token: 'not.a.token' }).socket()));
    await view.until('closed', () => view.socket.state === 'closed');
    expect(view.socket.closed).toMatchObject({ cause: 'unauthorized', code: closeCodes.authFailed });
    expect(view.errors).toEqual(['invalid_token']);
  });

  it('a chat the user is not in (4503) stops as forbidden', async () => {
    const { chatId } = await pair();
    const stranger = await signedIn(base, 'carol');
    const view = keep(new AppView(stranger.client.socket({ chatId, since: 0 })));
    await view.until('closed', () => view.socket.state === 'closed');
    expect(view.socket.closed).toMatchObject({ cause: 'forbidden', code: closeCodes.notMember });
    // Without `since`, the socket asks for the chat's last_seq first: the REST 403 stops it the same way.
    const early = keep(new AppView(stranger.client.socket({ chatId })));
    await early.until('closed', () => early.socket.state === 'closed');
    expect(early.socket.closed).toMatchObject({ cause: 'forbidden', code: 0 });
  });
});

describe('sends', () => {
  it('sends and marks read over the socket with ref acks, no REST request, storing each message once', async () => {
    // Every REST request of both users after sign-in, by method and path.
    const calls: string[] = [];
    const counting = (input: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? 'GET'} ${new URL(input).pathname}`);
      return fetch(input, init);
    };
    const { a, b, chatId } = await pair();
    const [ac, bc] = [clientOf(base, { token: a.client.token, fetch: counting }), clientOf(base, { token: b.client.token, fetch: counting })];
    const av = keep(await openView(ac, chatId, { ackTimeoutMs: 60_000 }));
    const bv = keep(await openView(bc, chatId));
    const sent = [];
    for (const content of ['x', 'y', 'z']) sent.push(await av.socket.send({ type: 'text', content }));
    expect(sent.map((m) => m.content)).toEqual(['x', 'y', 'z']);
    expect(await bv.socket.markRead(sent[0]!.id)).toMatchObject({ message_id: sent[0]!.id, status: 'read', read_by: [b.user.id] });
    await bv.messageCount(3);
    expect((await b.client.chats.messages(chatId)).map((m) => m.id)).toEqual(sent.map((m) => m.id));
    expect(bv.messages().map((m) => m.id)).toEqual(sent.map((m) => m.id));
    expect([...av.errors, ...bv.errors]).toEqual([]);
    expect(calls.filter((c) => c.includes('/messages'))).toEqual([]);
  });
});
