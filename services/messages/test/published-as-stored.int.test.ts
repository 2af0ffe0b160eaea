import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { createSubjects, messagesChatsCreate, messagesChatsEnd } from '@chatroulette/contracts';
import { createDb } from '@chatroulette/db';
import { request } from '@chatroulette/nats';
import { api, collectEvents, registerUser, sleep, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';
import type { Db } from '../src/db/queries/db.js';
import type { Database } from '../src/db/schema.js';

// What is published is what the outbox holds, byte for byte, for every writer of chat events; and
// a refused send answers from the statement's own verdict, storing nothing.
const scope = testScope('messages-published-as-stored');
const subjects = createSubjects(scope.namespace);
let stack: Stack;
let base: string;
let nc: NatsConnection;
let db: Db;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages'] });
  base = stack.get('messages').url;
  nc = await connect({ servers: scope.natsUrl });
  db = await createDb<Database>({ serverUrl: scope.databaseUrl, database: scope.database('messages'), poolSize: 2 }, pino({ level: 'silent' }));
  const auth = stack.get('auth').url;
  [alice, bob, carol] = await Promise.all([registerUser(auth), registerUser(auth), registerUser(auth)]);
});
afterAll(async () => {
  await db?.destroy();
  await nc?.drain();
  await stack?.destroy();
});

const send = (user: TestUser, chatId: string, body: Record<string, unknown> = {}) =>
  api(base, 'POST', `/api/v1/chats/${chatId}/messages`, { token: user.token, body: { type: 'text', content: 'hi', ...body } });

async function storedEvents(chatId: string) {
  const rows = await db.selectFrom('chat_events').select(['seq', 'frame', 'headers']).where('chat_id', '=', chatId).orderBy('seq').execute();
  return rows.map((r) => ({ seq: Number(r.seq), frame: r.frame, headers: r.headers as Record<string, string> }));
}

async function roulette(key: string) {
  return (await request(nc, subjects.messagesChatsCreate, messagesChatsCreate, { type: 'roulette', participant_ids: [alice.id, bob.id], key })).chat;
}

describe('published as stored', () => {
  it('new_message, message_edited, message_status_update (a receipt) and chatroulette_left: frames and headers as in chat_events', async () => {
    const chat = await roulette('published-as-stored');
    const published = await collectEvents(nc, subjects.chatEvents(chat.id));
    const sent = await send(alice, chat.id, { client_message_id: 'k-1' });
    expect(sent.status).toBe(201);
    expect((await api(base, 'PUT', `/api/v1/messages/${sent.body.id}/edit`, { token: alice.token, body: { content: 'edited' } })).status).toBe(200);
    const second = await send(alice, chat.id);
    nc.publish(subjects.messagesDeliveriesReport, JSON.stringify({ receipts: [{ chat_id: chat.id, message_id: second.body.id, user_id: bob.id }] }));
    await published.waitFor(4);
    await request(nc, subjects.messagesChatsEnd, messagesChatsEnd, { chat_id: chat.id, left_user_id: bob.id, left_username: bob.username });
    const seen = await published.waitFor(5);
    await sleep(200);
    expect(seen.map((e) => e.body.type)).toEqual(['new_message', 'message_edited', 'new_message', 'message_status_update', 'chatroulette_left']);
    const stored = await storedEvents(chat.id);
    expect(seen.map((e) => e.raw)).toEqual(stored.map((e) => e.frame));
    for (const [i, e] of seen.entries()) {
      // NATS adds its own dedup header; every header the outbox stored goes out as stored.
      const { 'Nats-Msg-Id': dedup, ...headers } = e.headers;
      expect(dedup).toBe(`${chat.id}:${stored[i]!.seq}`);
      expect(headers).toEqual(stored[i]!.headers);
    }
    expect(stored[0]!.headers).toEqual({ 'Chat-Seq': '1', 'Msg-Author': alice.id, 'Msg-Id': sent.body.id });
  });
});

describe('a refused send answers from the statement and stores nothing', () => {
  it('404 for a missing chat, 403 for a non-participant, 409 for a closed chat, 400 for a bad reply, and the first message for a used key', async () => {
    const chat = await roulette('refusals');
    const first = await send(alice, chat.id, { client_message_id: 'once' });
    expect(first.status).toBe(201);
    const before = await storedEvents(chat.id);

    expect((await send(alice, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await send(carol, chat.id)).status).toBe(403);
    const badReply = await send(alice, chat.id, { reply_to_id: '00000000-0000-4000-8000-000000000000' });
    expect(badReply.status).toBe(400);
    expect(badReply.body.error).toMatch(/reply_to_id/);
    const again = await send(alice, chat.id, { client_message_id: 'once', content: 'other' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await storedEvents(chat.id)).toEqual(before);

    await request(nc, subjects.messagesChatsEnd, messagesChatsEnd, { chat_id: chat.id, left_user_id: bob.id, left_username: bob.username });
    const afterEnd = await storedEvents(chat.id);
    expect((await send(alice, chat.id)).status).toBe(409);
    // 403 comes before 409, and a used key before both.
    expect((await send(carol, chat.id)).status).toBe(403);
    expect((await send(alice, chat.id, { client_message_id: 'once' })).body).toEqual(first.body);
    expect(await storedEvents(chat.id)).toEqual(afterEnd);
    const messages = await db.selectFrom('messages').select('id').where('chat_id', '=', chat.id).execute();
    expect(messages.map((m) => m.id)).toEqual([first.body.id]);
  });
});
