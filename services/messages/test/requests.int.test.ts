import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { api, collectEvents, registerUser, sleep, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';
import {
  createSubjects,
  messagesChatsCreate,
  messagesChatsCreateMany,
  messagesChatsEnd,
  messagesChatsMember,
  messagesChatsSave,
  messagesEventsList,
} from '@chatroulette/contracts';
import { AppError } from '@chatroulette/errors';
import { request, STATUS_HEADER } from '@chatroulette/nats';

const scope = testScope('messages-requests');
const subjects = createSubjects(scope.namespace);
let stack: Stack;
let base: string;
let nc: NatsConnection;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
const missing = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  const messages = { service: 'messages', env: { EVENT_RETENTION_COUNT: '3', PRUNE_INTERVAL_MS: '200' } } as const;
  stack = await startStack({ infra: scope, instances: ['auth', messages] });
  base = stack.get('messages').url;
  nc = await connect({ servers: scope.natsUrl });
  const auth = stack.get('auth').url;
  [alice, bob, carol] = await Promise.all([registerUser(auth), registerUser(auth), registerUser(auth)]);
});
afterAll(async () => {
  await nc?.drain();
  await stack?.destroy();
});

const createRoulette = (key: string, ids = [alice.id, bob.id]) =>
  request(nc, subjects.messagesChatsCreate, messagesChatsCreate, { type: 'roulette', participant_ids: ids, key });
const send = (user: TestUser, chatId: string, content = 'hi') =>
  api(base, 'POST', `/api/v1/chats/${chatId}/messages`, { token: user.token, body: { type: 'text', content } });

async function rejects(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.status;
    throw e;
  }
  throw new Error('expected an error reply');
}

describe('messages.chats.create', () => {
  it('creates a roulette chat with usernames, idempotent on the key', async () => {
    const { chat } = await createRoulette('match-1');
    expect(chat).toMatchObject({ type: 'roulette', created_by: null });
    expect(chat.participants).toEqual(
      expect.arrayContaining([
        { user_id: alice.id, username: alice.username },
        { user_id: bob.id, username: bob.username },
      ]),
    );
    const again = await createRoulette('match-1');
    expect(again.chat.id).toBe(chat.id);
    const [x, y] = await Promise.all([createRoulette('match-race'), createRoulette('match-race')]);
    expect(x.chat.id).toBe(y.chat.id);
  });

  it('refuses unknown users and a user matched with themselves (400)', async () => {
    expect(await rejects(createRoulette('bad-1', [alice.id, missing]))).toBe(400);
    expect(await rejects(createRoulette('bad-2', [alice.id, alice.id]))).toBe(400);
  });
});

describe('messages.chats.create_many', () => {
  const createMany = (chats: { participant_ids: string[]; key: string }[]) =>
    request(nc, subjects.messagesChatsCreateMany, messagesChatsCreateMany, { chats });

  it('creates a batch of roulette chats in the request order, idempotent on each key, null for the refused ones', async () => {
    const single = (await createRoulette('many-0', [alice.id, carol.id])).chat;
    const { chats } = await createMany([
      { participant_ids: [alice.id, bob.id], key: 'many-1' },
      { participant_ids: [alice.id, missing], key: 'many-bad' },
      { participant_ids: [carol.id, alice.id], key: 'many-0' },
      { participant_ids: [bob.id, bob.id], key: 'many-self' },
      { participant_ids: [bob.id, carol.id], key: 'many-2' },
    ]);
    expect(chats.map((c) => c?.participants.map((p) => p.user_id).sort() ?? null)).toEqual([
      [alice.id, bob.id].sort(),
      null,
      [alice.id, carol.id].sort(),
      null,
      [bob.id, carol.id].sort(),
    ]);
    expect(chats[2]!.id).toBe(single.id);
    expect(chats[4]!.participants).toEqual(expect.arrayContaining([{ user_id: carol.id, username: carol.username }]));
    const again = await createMany([{ participant_ids: [bob.id, carol.id], key: 'many-2' }, { participant_ids: [alice.id, bob.id], key: 'many-1' }]);
    expect(again.chats.map((c) => c!.id)).toEqual([chats[4]!.id, chats[0]!.id]);
    const [x, y] = await Promise.all([
      createMany([{ participant_ids: [alice.id, bob.id], key: 'many-race-1' }, { participant_ids: [bob.id, carol.id], key: 'many-race-2' }]),
      createMany([{ participant_ids: [bob.id, carol.id], key: 'many-race-2' }, { participant_ids: [alice.id, bob.id], key: 'many-race-1' }]),
    ]);
    expect([y.chats[1]!.id, y.chats[0]!.id]).toEqual(x.chats.map((c) => c!.id));
    expect((await send(bob, chats[0]!.id)).status).toBe(201);
  });
});

describe('messages.chats.member and messages.events.list', () => {
  it('answers membership with last_seq, the participants and whether the chat is open, and 404 for a missing chat', async () => {
    const { chat } = await createRoulette('member-1');
    const member = (userId: string, chatId = chat.id) =>
      request(nc, subjects.messagesChatsMember, messagesChatsMember, { chat_id: chatId, user_id: userId });
    const participants = [alice.id, bob.id].sort();
    const sorted = <T extends { participants: string[] }>(a: T) => ({ ...a, participants: [...a.participants].sort() });
    expect(sorted(await member(alice.id))).toEqual({ is_member: true, last_seq: 0, participants, open: true });
    expect(sorted(await member(carol.id))).toEqual({ is_member: false, last_seq: 0, participants, open: true });
    expect(await rejects(member(alice.id, missing))).toBe(404);
    expect((await send(bob, chat.id)).status).toBe(201);
    expect(await member(bob.id)).toMatchObject({ is_member: true, last_seq: 1, open: true });
    // Ended: closed, as of the chatroulette_left's seq.
    await request(nc, subjects.messagesChatsEnd, messagesChatsEnd, { chat_id: chat.id, left_user_id: bob.id, left_username: bob.username });
    expect(await member(alice.id)).toMatchObject({ is_member: true, last_seq: 2, open: false });
  });

  it('lists stored frames after a seq, byte for byte as published', async () => {
    const { chat } = await createRoulette('events-1');
    const published = await collectEvents(nc, subjects.chatEvents(chat.id));
    await send(alice, chat.id, 'one');
    await send(bob, chat.id, 'two');
    const seen = await published.waitFor(2);
    const list = (after: number, limit = 500) =>
      request(nc, subjects.messagesEventsList, messagesEventsList, { chat_id: chat.id, after_seq: after, limit });
    const all = await list(0);
    expect(all.first_seq).toBe(1);
    expect(all.last_seq).toBe(2);
    expect(all.events).toEqual([
      { seq: 1, frame: seen[0]!.raw },
      { seq: 2, frame: seen[1]!.raw },
    ]);
    expect((await list(1)).events.map((e) => e.seq)).toEqual([2]);
    expect((await list(0, 1)).events.map((e) => e.seq)).toEqual([1]);
    expect((await list(2)).events).toEqual([]);
    expect(await rejects(request(nc, subjects.messagesEventsList, messagesEventsList, { chat_id: missing, after_seq: 0 }))).toBe(404);
  });

  it('prunes published events beyond the retention count, and says so with first_seq', async () => {
    const { chat } = await createRoulette('prune-1');
    for (let i = 0; i < 6; i++) expect((await send(alice, chat.id, `m${i}`)).status).toBe(201);
    let res;
    for (let i = 0; i < 50; i++) {
      res = await request(nc, subjects.messagesEventsList, messagesEventsList, { chat_id: chat.id, after_seq: 0 });
      if (res.first_seq === 4) break;
      await sleep(100);
    }
    expect(res!.first_seq).toBe(4);
    expect(res!.last_seq).toBe(6);
    expect(res!.events.map((e) => e.seq)).toEqual([4, 5, 6]);
  });
});

describe('messages.chats.end and messages.chats.save', () => {
  const end = (chatId: string, user: TestUser) =>
    request(nc, subjects.messagesChatsEnd, messagesChatsEnd, { chat_id: chatId, left_user_id: user.id, left_username: user.username });
  const save = (chatId: string, user: TestUser) =>
    request(nc, subjects.messagesChatsSave, messagesChatsSave, { chat_id: chatId, user_id: user.id });

  it('emits chatroulette_left with a seq and closes the chat; a second end changes nothing', async () => {
    const { chat } = await createRoulette('end-1');
    const published = await collectEvents(nc, subjects.chatEvents(chat.id));
    await send(alice, chat.id);
    expect(await end(chat.id, bob)).toEqual({ chat_id: chat.id, closed: true, seq: 2 });
    const seen = await published.waitFor(2);
    expect(seen[1]!.subject).toBe(subjects.chatEvent(chat.id, 'chatroulette_left'));
    expect(seen[1]!.body).toEqual({ type: 'chatroulette_left', chat_id: chat.id, payload: { user_id: bob.id, username: bob.username }, seq: 2 });
    expect(seen[1]!.headers['Chat-Seq']).toBe('2');

    const closed = await send(alice, chat.id, 'anyone?');
    expect(closed.status).toBe(409);
    expect(await end(chat.id, alice)).toEqual({ chat_id: chat.id, closed: true, seq: 2 });
    await sleep(400);
    expect(published.events).toHaveLength(2);
    expect(await rejects(end(missing, alice))).toBe(404);
    const info = await api(base, 'GET', `/api/v1/chats/${chat.id}`, { token: alice.token });
    expect(info.body).toMatchObject({ status: 'closed', last_seq: 2 });
  });

  it('saves a roulette chat once, for participants only; a saved chat stays open after an end', async () => {
    const { chat } = await createRoulette('save-1');
    expect(await rejects(save(chat.id, carol))).toBe(403);
    const saved = await save(chat.id, alice);
    expect(saved.chat).toMatchObject({ id: chat.id, type: 'saved' });
    expect(saved.chat.participants).toHaveLength(2);
    expect(await rejects(save(chat.id, bob))).toBe(409);
    expect(await rejects(save(missing, bob))).toBe(404);

    const priv = await api(base, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } });
    expect(await rejects(save(priv.body.id, alice))).toBe(400);

    const published = await collectEvents(nc, subjects.chatEvents(chat.id));
    expect(await end(chat.id, bob)).toEqual({ chat_id: chat.id, closed: false, seq: 1 });
    await published.waitFor(1);
    expect(published.events[0]!.body.type).toBe('chatroulette_left');
    expect((await send(alice, chat.id, 'still here')).status).toBe(201);
  });

  it('refuses to end a private chat (400), over a raw NATS request, and leaves it open with no event', async () => {
    const priv = await api(base, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } });
    expect(priv.status).toBe(201);
    const published = await collectEvents(nc, subjects.chatEvents(priv.body.id));
    // What anyone on the NATS could send: no contract helper, just the subject and a JSON body.
    const reply = await nc.request(subjects.messagesChatsEnd, JSON.stringify({ chat_id: priv.body.id, left_user_id: bob.id, left_username: bob.username }), { timeout: 5000 });
    expect(reply.headers?.get(STATUS_HEADER)).toBe('400');
    expect(JSON.parse(new TextDecoder().decode(reply.data))).toMatchObject({ error: 'Only a roulette chat can be ended; this chat is private' });
    await sleep(300);
    expect(published.events).toEqual([]);
    const info = await api(base, 'GET', `/api/v1/chats/${priv.body.id}`, { token: alice.token });
    expect(info.body).toMatchObject({ type: 'private', status: 'open', last_seq: 0 });
    expect((await send(bob, priv.body.id, 'still open')).status).toBe(201);
  });
});
