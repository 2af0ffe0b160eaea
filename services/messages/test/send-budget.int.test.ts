import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, dropDatabase, migrateToLatest } from '@chatroulette/db';
import { sleep, testScope } from '@chatroulette/testing';
import { migrations } from '../src/db/migrations/index.js';
import type { Db } from '../src/db/queries/db.js';
import { pruneSendBudgets } from '../src/db/queries/send-budget.js';
import { insertMessagesWithEvents, insertMessageWithEvent, type MessageToStore, type SendOutcome } from '../src/db/queries/send-message.js';
import type { SendRate } from '../src/domain/send-rate.js';
import { newChat as newChatOf, newMessage, toStore } from './send-fixtures.js';

// The send budget inside the send statements: what a sender may store, alone, in a batch, and from
// two pools at once (two instances); what does not count. A refill of one message every 20 s keeps
// the counts exact however slow the machine is.
const scope = testScope('messages-send-budget');
const database = scope.database('messages');
const log = pino({ level: 'silent' });
const slow: SendRate = { perSecond: 0.05, burst: 4 };
let db: Db;
let other: Db;
let chats: string[];
const [ann, bob] = [randomUUID(), randomUUID()];

beforeAll(async () => {
  db = await createDb({ serverUrl: scope.databaseUrl, database, poolSize: 4 }, log);
  await migrateToLatest(db, migrations, log);
  // A second pool on the same database: another instance of the service.
  other = await createDb({ serverUrl: scope.databaseUrl, database, poolSize: 4 }, log);
  chats = await Promise.all([newChat('open'), newChat('open'), newChat('open')]);
});
afterAll(async () => {
  await Promise.all([db?.destroy(), other?.destroy()]);
  await dropDatabase(scope.databaseUrl, database);
});

const newChat = (status: 'open' | 'closed') => newChatOf(db, [ann, bob], status);
const item = (chatId: string, userId: string, clientKey: string | null = null) => toStore(newMessage(chatId, userId, clientKey));

const storedBy = async (userId: string) => (await db.selectFrom('messages').select('id').where('user_id', '=', userId).execute()).length;
const kinds = (outcomes: SendOutcome[]) => outcomes.map((o) => (o.event ? 'stored' : o.refused));
const waitOf = (o: SendOutcome) => (o.refused ? o.retryAfterMs : undefined);
/** A batch's outcomes in its input order. */
const batched = async (pool: Db, rate: SendRate, batch: MessageToStore[]) => {
  const outcomes = await insertMessagesWithEvents(pool, rate, batch);
  return batch.map((b) => outcomes.get(b.message.id)!);
};

describe('the send budget in the send statements', () => {
  it('alone: the burst, then rate_limited with the wait until the next one fits; nothing stored past it', async () => {
    const user = randomUUID();
    await db.insertInto('chat_participants').values({ chat_id: chats[0]!, user_id: user, username: 'alone' }).execute();
    const outcomes: SendOutcome[] = [];
    for (let i = 0; i < 6; i++) outcomes.push(await insertMessageWithEvent(db, slow, item(chats[0]!, user)));
    expect(kinds(outcomes)).toEqual(['stored', 'stored', 'stored', 'stored', 'rate_limited', 'rate_limited']);
    // The next one fits one interval (20 s) after the first, less the time this took.
    const wait = waitOf(outcomes[4]!);
    expect(wait).toBeGreaterThan(10_000);
    expect(wait).toBeLessThanOrEqual(20_000);
    expect(await storedBy(user)).toBe(4);
  });

  it('in one batch: the sender\u2019s first messages in input order, across chats; another sender is not touched', async () => {
    const batch = [
      ...Array.from({ length: 6 }, (_, i) => item(chats[i % 3]!, ann)),
      item(chats[1]!, bob),
      item(chats[2]!, bob),
    ];
    const outcomes = await batched(db, slow, batch);
    expect(kinds(outcomes)).toEqual(['stored', 'stored', 'stored', 'stored', 'rate_limited', 'rate_limited', 'stored', 'stored']);
    expect(waitOf(outcomes[4]!)).toBeGreaterThan(10_000);
    expect(await storedBy(ann)).toBe(4);
    // Bob has 2 of his 4 left, alone as in a batch.
    expect(kinds([await insertMessageWithEvent(db, slow, item(chats[0]!, bob))])).toEqual(['stored']);
    expect(kinds(await batched(db, slow, [item(chats[0]!, bob), item(chats[1]!, bob)]))).toEqual(['stored', 'rate_limited']);
  });

  it('holds across two instances: 40 sends at once in three chats through two pools store the burst, once', async () => {
    const user = randomUUID();
    await db.insertInto('chat_participants').values(chats.map((c) => ({ chat_id: c, user_id: user, username: 'racer' }))).execute();
    const sends = Array.from({ length: 40 }, (_, i) => {
      const pool = i % 2 ? other : db;
      const first = item(chats[i % 3]!, user);
      // Lone statements and batches, on both pools, racing on the sender's row (and on no common chat lock).
      return i % 4 < 2 ? insertMessageWithEvent(pool, slow, first) : batched(pool, slow, [first, item(chats[(i + 1) % 3]!, user)]);
    });
    const outcomes = (await Promise.all(sends)).flat();
    expect(outcomes).toHaveLength(60);
    expect(outcomes.filter((o) => o.event)).toHaveLength(4);
    expect(outcomes.filter((o) => o.refused === 'rate_limited')).toHaveLength(56);
    expect(await storedBy(user)).toBe(4);
  });

  it('counts neither a replay of a stored client key nor a send another check refused', async () => {
    const user = randomUUID();
    await db.insertInto('chat_participants').values({ chat_id: chats[0]!, user_id: user, username: 'replayer' }).execute();
    const closed = await newChat('closed');
    await db.insertInto('chat_participants').values({ chat_id: closed, user_id: user, username: 'replayer' }).execute();
    expect(kinds([await insertMessageWithEvent(db, slow, item(chats[0]!, user, 'key-1'))])).toEqual(['stored']);
    const refused = [
      ...(await Promise.all(Array.from({ length: 5 }, () => insertMessageWithEvent(db, slow, item(chats[0]!, user, 'key-1'))))),
      ...(await batched(db, slow, [item(chats[0]!, user, 'key-1'), item(closed, user), item(randomUUID(), user)])),
    ];
    expect(kinds(refused)).toEqual([...Array(6).fill('client_key_seen'), 'chat_closed', 'chat_not_found']);
    // So the other three of the burst are still there, and only those.
    const rest = await batched(db, slow, Array.from({ length: 4 }, () => item(chats[0]!, user)));
    expect(kinds(rest)).toEqual(['stored', 'stored', 'stored', 'rate_limited']);
  });

  it('refills at the rate, and the prune job drops only rows whose schedule has passed', async () => {
    const fast: SendRate = { perSecond: 20, burst: 2 };
    const user = randomUUID();
    await db.insertInto('chat_participants').values({ chat_id: chats[0]!, user_id: user, username: 'refill' }).execute();
    const first = await batched(db, fast, Array.from({ length: 3 }, () => item(chats[0]!, user)));
    expect(kinds(first)).toEqual(['stored', 'stored', 'rate_limited']);
    const wait = waitOf(first[2]!)!;
    expect(wait).toBeLessThanOrEqual(50);
    await sleep(wait + 5);
    expect(kinds([await insertMessageWithEvent(db, fast, item(chats[0]!, user))])).toEqual(['stored']);

    const rows = () => db.selectFrom('send_budgets').select('user_id').execute().then((r) => r.map((x) => x.user_id));
    const before = await rows();
    expect(before).toContain(ann);
    await sleep(200);
    expect(await pruneSendBudgets(db)).toBeGreaterThanOrEqual(1);
    const after = await rows();
    // The fast sender's schedule (at most 100 ms ahead) has passed; the slow ones (20 s apart) stay.
    expect(after).not.toContain(user);
    expect(after).toContain(ann);
  });
});
