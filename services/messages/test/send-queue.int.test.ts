import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb, dropDatabase, migrateToLatest } from '@chatroulette/db';
import { testScope } from '@chatroulette/testing';
import { migrations } from '../src/db/migrations/index.js';
import type { Db } from '../src/db/queries/db.js';
import type { NewMessage } from '../src/db/queries/send-message.js';
import { createSendQueue } from '../src/db/send-queue.js';
import { newChat as newChatOf, newMessage, toStore } from './send-fixtures.js';

// The group commit on its own, against a real database: sends that queue behind the statements in
// flight are stored together, each chat numbered in arrival order, each refused one on its own.
const scope = testScope('messages-send-queue');
const database = scope.database('messages');
const log = pino({ level: 'silent' });
let db: Db;
const unlimited = { perSecond: 1_000_000, burst: 1_000_000 };
const [ann, bob, eve] = [randomUUID(), randomUUID(), randomUUID()];

beforeAll(async () => {
  db = await createDb({ serverUrl: scope.databaseUrl, database, poolSize: 4 }, log);
  await migrateToLatest(db, migrations, log);
});
afterAll(async () => {
  await db?.destroy();
  await dropDatabase(scope.databaseUrl, database);
});

const newChat = (status: 'open' | 'closed' = 'open') => newChatOf(db, [ann, bob], status);
const message = newMessage;

// The seq given, or undefined when the send was refused.
const store = (queue: ReturnType<typeof createSendQueue>, m: NewMessage) =>
  queue
    .store(toStore(m))
    .then((outcome) => outcome.event?.seq);

it('stores queued sends together, numbering each chat in arrival order, and refuses the bad ones alone', async () => {
  const queue = createSendQueue(db, unlimited);
  const [c1, c2, closed] = await Promise.all([newChat(), newChat(), newChat('closed')]);
  const good = Array.from({ length: 40 }, (_, i) => message(i % 2 ? c2 : c1, i % 3 ? ann : bob));
  const refused = [message(c1, eve), message(closed, ann)];
  const all = [...good.slice(0, 20), ...refused, ...good.slice(20)];
  const seqs = await Promise.all(all.map((m) => store(queue, m)));

  const stats = queue.stats();
  expect(stats.batched).toBeGreaterThan(0);
  expect(stats.largest).toBeGreaterThan(1);
  expect(seqs.slice(20, 22)).toEqual([undefined, undefined]);
  for (const chat of [c1, c2]) {
    const sent = all.map((m, i) => ({ m, seq: seqs[i] })).filter((x) => x.m.chat_id === chat && !refused.includes(x.m));
    // Arrival order is seq order, from 1, with no gap; messages, events and last_seq agree.
    expect(sent.map((x) => x.seq)).toEqual(sent.map((_, i) => i + 1));
    const rows = await db.selectFrom('messages').select(['id', 'seq']).where('chat_id', '=', chat).orderBy('seq').execute();
    expect(rows.map((r) => r.id)).toEqual(sent.map((x) => x.m.id));
    const events = await db.selectFrom('chat_events').select(['seq', 'frame', 'headers']).where('chat_id', '=', chat).orderBy('seq').execute();
    expect(events.map((e) => JSON.parse(e.frame).seq)).toEqual(sent.map((_, i) => i + 1));
    expect(events.map((e) => (e.headers as Record<string, string>)['Chat-Seq'])).toEqual(sent.map((_, i) => String(i + 1)));
    expect(events.map((e) => JSON.parse(e.frame).payload.id)).toEqual(sent.map((x) => x.m.id));
    const { last_seq } = await db.selectFrom('chats').select('last_seq').where('id', '=', chat).executeTakeFirstOrThrow();
    expect(Number(last_seq)).toBe(20);
  }
  expect(await db.selectFrom('messages').select('id').where('chat_id', '=', closed).execute()).toEqual([]);
});

it('two sends with one client key in a batch: the first is stored, the second finds it stored', async () => {
  const queue = createSendQueue(db, unlimited);
  const chat = await newChat();
  const others = Array.from({ length: 6 }, () => message(chat, bob));
  const [first, second] = [message(chat, ann, 'key-1'), message(chat, ann, 'key-1')];
  const seqs = await Promise.all([...others, first, second].map((m) => store(queue, m)));
  expect(queue.stats().batched).toBeGreaterThan(0);
  expect(seqs.slice(0, 7).every((s) => typeof s === 'number')).toBe(true);
  expect(seqs[7]).toBeUndefined();
  const rows = await db.selectFrom('messages').select(['id', 'seq']).where('chat_id', '=', chat).orderBy('seq').execute();
  expect(rows).toHaveLength(7);
  expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  expect(rows.map((r) => r.id)).toContain(first.id);
});
