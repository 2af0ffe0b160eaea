import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { withDatabase } from '@chatroulette/db';
import { headers as natsHeaders, type NatsConnection } from 'nats';
import { closeCodes, eventHeaders, messagesDeliveriesReport, parsePresenceSubject, type Subjects } from '@chatroulette/contracts';
import { api, collectEvents, openSocket, registerUser, sleep, startStack, testScope, type Instance, type SocketClient, type Stack, type TestUser } from '@chatroulette/testing';
import { natsOf } from './helpers.js';

const scope = testScope('gateway-chat');
let stack: Stack;
let gw: Instance;
let nc: NatsConnection;
let subjects: Subjects;
let db: pg.Client;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages', 'gateway'] });
  gw = stack.get('gateway');
  ({ nc, subjects } = await natsOf(scope));
  [alice, bob] = await Promise.all([registerUser(gw.url), registerUser(gw.url)]);
  db = new pg.Client({ connectionString: withDatabase(scope.databaseUrl, scope.database('messages')) });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await nc?.drain().catch(() => undefined);
  await stack?.destroy();
});

async function newChat(): Promise<string> {
  const chat = await api(gw.url, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } });
  expect(chat.status).toBe(201);
  return chat.body.id;
}

async function send(chatId: string, content: string, token = alice.token) {
  const res = await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token, body: { type: 'text', content } });
  expect(res.status).toBe(201);
  return res.body;
}

async function lastSeq(chatId: string): Promise<number> {
  const { rows } = await db.query('select last_seq from chats where id = $1', [chatId]);
  return Number(rows[0].last_seq);
}

/** A fake chat event published straight to NATS, as messages would, with its Chat-Seq header. */
function frame(chatId: string, seq: number) {
  return { type: 'message_liked', chat_id: chatId, seq, payload: { message_id: chatId, likes_count: seq, liked_by: [], liked_at: null } };
}
function publishSeq(chatId: string, seq: number) {
  const h = natsHeaders();
  h.set(eventHeaders.seq, String(seq));
  nc.publish(subjects.chatEvent(chatId, 'message_liked'), JSON.stringify(frame(chatId, seq)), { headers: h });
}

const seqsOf = (c: SocketClient, chatId: string) => c.frames.filter((f) => f.chat_id === chatId && typeof f.seq === 'number').map((f) => f.seq);

async function pollUntil(cond: () => boolean, ms = 5000) {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out');
    await sleep(20);
  }
}

describe('chat events', () => {
  it('delivers REST-made events live, each once, to every socket on the chat', async () => {
    const chatId = await newChat();
    const a = await openSocket(gw.url, { token: alice.token, chat_id: chatId });
    const b = await openSocket(gw.url, { token: bob.token, chat_id: chatId });
    const m = await send(chatId, 'hello');
    const got = await b.next((f) => f.type === 'new_message');
    expect(got).toMatchObject({ type: 'new_message', chat_id: chatId, payload: { id: m.id, content: 'hello' }, seq: expect.any(Number) });
    await a.next((f) => f.type === 'new_message');
    await sleep(200);
    expect(a.frames.filter((f) => f.type === 'new_message')).toHaveLength(1);
    expect(b.frames.filter((f) => f.type === 'new_message')).toHaveLength(1);
    await a.closeAndWait();
    await b.closeAndWait();
  });

  it('puts events published out of order back in seq order and drops duplicates', async () => {
    const chatId = await newChat();
    const c = await openSocket(gw.url, { token: alice.token, chat_id: chatId });
    const base = await lastSeq(chatId);
    for (const s of [base + 2, base + 1, base + 1, base + 4, base + 3, base + 2, base]) publishSeq(chatId, s);
    await pollUntil(() => seqsOf(c, chatId).length >= 4);
    await sleep(300);
    expect(seqsOf(c, chatId)).toEqual([base + 1, base + 2, base + 3, base + 4]);
    await c.closeAndWait();
  });

  it('fills a gap from the messages event log', async () => {
    const chatId = await newChat();
    const c = await openSocket(gw.url, { token: alice.token, chat_id: chatId });
    const base = await lastSeq(chatId);
    // Two events the gateway never sees on NATS: only in messages' log.
    for (const s of [base + 1, base + 2]) {
      await db.query(
        `insert into chat_events (chat_id, seq, type, frame, headers, published_at) values ($1, $2, 'message_liked', $3, '{}', now())`,
        [chatId, s, JSON.stringify(frame(chatId, s))],
      );
    }
    await db.query('update chats set last_seq = $2 where id = $1', [chatId, base + 3]);
    await db.query(
      `insert into chat_events (chat_id, seq, type, frame, headers, published_at) values ($1, $2, 'message_liked', $3, '{}', now())`,
      [chatId, base + 3, JSON.stringify(frame(chatId, base + 3))],
    );
    publishSeq(chatId, base + 3);
    await pollUntil(() => seqsOf(c, chatId).length >= 3);
    expect(seqsOf(c, chatId)).toEqual([base + 1, base + 2, base + 3]);
    // A real message after that continues the sequence.
    await send(chatId, 'after the gap');
    await pollUntil(() => seqsOf(c, chatId).length >= 4);
    expect(seqsOf(c, chatId)).toEqual([base + 1, base + 2, base + 3, base + 4]);
    await c.closeAndWait();
  });

  it('replays from the log after since, then goes live with no gap and no duplicate', async () => {
    const chatId = await newChat();
    for (let i = 1; i <= 5; i++) await send(chatId, `m${i}`);
    const last = await lastSeq(chatId);
    // Requests for the event log, seen by a plain subscriber beside messages' queue group.
    const logRequests = await collectEvents(nc, subjects.messagesEventsList);
    // No socket on this chat here yet: the replay comes from messages' event log.
    const c = await openSocket(gw.url, { token: bob.token, chat_id: chatId, since: last - 3 });
    const rec = await c.next((f) => f.type === 'recovery');
    expect(rec).toEqual({ type: 'recovery', chat_id: chatId, payload: { recovered: true, seq: last } });
    expect(seqsOf(c, chatId)).toEqual([last - 2, last - 1, last]);
    expect(c.frames.at(-1).type).toBe('recovery');
    const live = await send(chatId, 'live');
    await c.next((f) => f.payload?.id === live.id);
    await sleep(200);
    // Bob's socket got the message, so a delivered status update follows it: contiguous, each once.
    expect(seqsOf(c, chatId).slice(0, 4)).toEqual([last - 2, last - 1, last, last + 1]);
    expect(seqsOf(c, chatId)).toEqual(Array.from({ length: seqsOf(c, chatId).length }, (_, i) => last - 2 + i));

    expect(logRequests.events.length).toBeGreaterThanOrEqual(1);
    const before = logRequests.events.length;

    // With a socket already on the chat, the replay comes from the gateway's ring, while events keep coming.
    const d = await openSocket(gw.url, { token: alice.token, chat_id: chatId, since: last + 1 });
    const sending = (async () => {
      for (let i = 0; i < 5; i++) await send(chatId, `during ${i}`);
    })();
    await d.next((f) => f.type === 'recovery');
    await sending;
    await pollUntil(() => d.frames.filter((f) => String(f.payload?.content).startsWith('during')).length === 5);
    await sleep(300);
    const seen = seqsOf(d, chatId);
    expect(seen[0]).toBe(last + 2);
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => last + 2 + i));
    expect(seen.at(-1)).toBe(await lastSeq(chatId));
    expect(logRequests.events.length).toBe(before);
    logRequests.stop();
    await c.closeAndWait();
    await d.closeAndWait();
  });

  it('says recovered: false when the events after since are gone', async () => {
    const chatId = await newChat();
    for (let i = 1; i <= 4; i++) await send(chatId, `m${i}`);
    const last = await lastSeq(chatId);
    await db.query('delete from chat_events where chat_id = $1 and seq <= $2', [chatId, last - 1]);
    const c = await openSocket(gw.url, { token: bob.token, chat_id: chatId, since: 1 });
    expect(await c.next((f) => f.type === 'recovery')).toEqual({ type: 'recovery', chat_id: chatId, payload: { recovered: false, seq: last } });
    const live = await send(chatId, 'live');
    expect(await c.next((f) => f.type === 'new_message')).toMatchObject({ seq: last + 1, payload: { id: live.id } });
    expect(seqsOf(c, chatId)[0]).toBe(last + 1);
    await c.closeAndWait();
  });

  it('reports deliveries for the other participants with a socket on the chat, in batches', async () => {
    const chatId = await newChat();
    const reported = await collectEvents(nc, subjects.messagesDeliveriesReport);
    const reports = () => reported.events.flatMap((e) => messagesDeliveriesReport.parse(e.body).receipts.filter((r) => r.chat_id === chatId));
    const a = await openSocket(gw.url, { token: alice.token, chat_id: chatId });
    const b = await openSocket(gw.url, { token: bob.token, chat_id: chatId });
    const b2 = await openSocket(gw.url, { token: bob.token, chat_id: chatId });
    const m = await send(chatId, 'deliver me');
    await pollUntil(() => reports().length >= 1);
    await sleep(200);
    expect(reports()).toEqual([{ chat_id: chatId, message_id: m.id, user_id: bob.id }]);
    // The messages service took the report: the message is delivered.
    let status = '';
    for (let i = 0; i < 50 && status !== 'delivered'; i++) {
      status = (await api(gw.url, 'GET', `/api/v1/messages/${m.id}/status`, { token: alice.token })).body.status;
      if (status !== 'delivered') await sleep(50);
    }
    expect(status).toBe('delivered');
    reported.stop();
    for (const s of [a, b, b2]) await s.closeAndWait();
  });
});

describe('several gateways', () => {
  it('each gateway delivers a chat event once to its own sockets', async () => {
    const other = await stack.start('gateway');
    try {
      const chatId = await newChat();
      const a = await openSocket(gw.url, { token: alice.token, chat_id: chatId });
      const b = await openSocket(other.url, { token: bob.token, chat_id: chatId });
      const m = await send(chatId, 'to both');
      await a.next((f) => f.type === 'new_message');
      await b.next((f) => f.type === 'new_message');
      await sleep(300);
      expect(a.frames.filter((f) => f.payload?.id === m.id)).toHaveLength(1);
      expect(b.frames.filter((f) => f.payload?.id === m.id)).toHaveLength(1);
      await a.closeAndWait();
      await b.closeAndWait();
    } finally {
      await other.stop();
    }
  });

  it('on shutdown closes sockets with 1001 and publishes offline presence', async () => {
    const other = await stack.start('gateway');
    const user = await registerUser(gw.url);
    const presence = await collectEvents(nc, subjects.allPresence);
    const states = () => presence.events.map((e) => parsePresenceSubject(e.subject)).filter((p) => p?.userId === user.id).map((p) => p!.state);
    const c = await openSocket(other.url, { token: user.token });
    await pollUntil(() => states().length === 1);
    await other.stop();
    expect((await c.closed).code).toBe(closeCodes.goingAway);
    await pollUntil(() => states().length === 2);
    expect(states()).toEqual(['online', 'offline']);
    const refused = await fetch(`${other.url}/healthz`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).toBe('refused');
    presence.stop();
  });
});
