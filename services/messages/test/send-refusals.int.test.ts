import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBlockState } from '@chatroulette/blocks';
import { createDb, dropDatabase, migrateToLatest } from '@chatroulette/db';
import { testScope } from '@chatroulette/testing';
import { migrations } from '../src/db/migrations/index.js';
import type { Db } from '../src/db/queries/db.js';
import { insertMessagesWithEvents, insertMessageWithEvent, type MessageToStore, type NewMessage } from '../src/db/queries/send-message.js';
import type { SendRefusal } from '../src/domain/send-refusal.js';

// The send statements say themselves why they stored nothing, and the lone one and the batch one
// say the same thing for the same send: each refusal kind, and the precedence between them.
const scope = testScope('messages-send-refusals');
const database = scope.database('messages');
const log = pino({ level: 'silent' });
let db: Db;
// Out of reach here: the budget's own refusals are in send-budget.int.test.ts.
const rate = { perSecond: 1_000_000, burst: 1_000_000 };
const [ann, bob, eve, cy] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
let open: string;
let closed: string;
/** Open and closed chats of ann, bob and cy, where cy has blocked ann (the copy of auth's blocks). */
let withBlock: string;
let closedWithBlock: string;
let liveMessage: string;
let deletedMessage: string;

beforeAll(async () => {
  db = await createDb({ serverUrl: scope.databaseUrl, database, poolSize: 4 }, log);
  await migrateToLatest(db, migrations, log);
  [open, closed] = [await newChat('open'), await newChat('closed')];
  [withBlock, closedWithBlock] = [await newChat('open', [cy]), await newChat('closed', [cy])];
  await applyBlockState(db, { blocker_id: cy, blocked_id: ann, blocked: true, version: 1 });
  const first = await insertMessageWithEvent(db, rate, toStore(message(open, ann, 'seen-key')));
  const second = await insertMessageWithEvent(db, rate, toStore(message(open, bob)));
  expect(first.event && second.event).toBeTruthy();
  liveMessage = (await db.selectFrom('messages').select('id').where('client_key', '=', 'seen-key').executeTakeFirstOrThrow()).id;
  deletedMessage = (await db.selectFrom('messages').select('id').where('user_id', '=', bob).executeTakeFirstOrThrow()).id;
  await db.updateTable('messages').set({ deleted_at: new Date(), status: 'deleted' }).where('id', '=', deletedMessage).execute();
});
afterAll(async () => {
  await db?.destroy();
  await dropDatabase(scope.databaseUrl, database);
});

async function newChat(status: 'open' | 'closed', more: string[] = []) {
  const id = randomUUID();
  await db.insertInto('chats').values({ id, type: 'roulette', status }).execute();
  await db.insertInto('chat_participants').values([ann, bob, ...more].map((u) => ({ chat_id: id, user_id: u, username: u.slice(0, 8) }))).execute();
  return id;
}

function message(chatId: string, userId: string, clientKey: string | null = null, replyToId: string | null = null): NewMessage {
  const id = randomUUID();
  return { id, chat_id: chatId, user_id: userId, type: 'text', content: `c-${id}`, media_url: '', reply_to_id: replyToId, client_key: clientKey, created_at: new Date() };
}

const toStore = (m: NewMessage): MessageToStore => ({
  message: m,
  framePrefix: `{"type":"new_message","chat_id":"${m.chat_id}","payload":{"id":"${m.id}"},"seq":`,
  headers: { 'Msg-Author': m.user_id, 'Msg-Id': m.id },
});

const stored = async () => ({
  messages: (await db.selectFrom('messages').select('id').execute()).length,
  events: (await db.selectFrom('chat_events').select('seq').execute()).length,
  seqs: await db.selectFrom('chats').select(['id', 'last_seq']).orderBy('id').execute(),
});

const cases: [string, () => NewMessage, SendRefusal][] = [
  ['a chat that does not exist', () => message(randomUUID(), ann), 'chat_not_found'],
  ['a sender who is not a participant', () => message(open, eve), 'not_participant'],
  ['a closed chat', () => message(closed, ann), 'chat_closed'],
  ['a reply to no message of the chat', () => message(open, ann, null, randomUUID()), 'bad_reply'],
  ['a reply to a deleted message', () => message(open, ann, null, deletedMessage), 'bad_reply'],
  ['a client key the sender already used', () => message(open, ann, 'seen-key'), 'client_key_seen'],
  ['a sender blocked by another participant', () => message(withBlock, ann), 'blocked'],
  ['a sender who blocked another participant', () => message(withBlock, cy), 'blocked'],
  // Precedence: 403 before 409, 409 before 400, an earlier send with the key before everything.
  ['a non-participant in a closed chat', () => message(closed, eve), 'not_participant'],
  ['a blocked sender in a closed chat', () => message(closedWithBlock, ann), 'blocked'],
  ['a bad reply in a closed chat', () => message(closed, ann, null, randomUUID()), 'chat_closed'],
  ['a used key with a bad reply', () => message(open, ann, 'seen-key', randomUUID()), 'client_key_seen'],
];

describe('a refused send says why, from the statement, and stores nothing', () => {
  it.each(cases)('%s, sent alone', async (_name, make, refusal) => {
    const before = await stored();
    expect(await insertMessageWithEvent(db, rate, toStore(make()))).toEqual({ refused: refusal });
    expect(await stored()).toEqual(before);
  });

  it('every kind, in one batch with a good send: the same reasons as alone, and only the good one stored', async () => {
    const before = await stored();
    const refused = cases.map(([, make]) => make());
    const good = message(open, bob, null, liveMessage);
    const outcomes = await insertMessagesWithEvents(db, rate, [...refused, good].map(toStore));
    expect(refused.map((m) => outcomes.get(m.id))).toEqual(cases.map(([, , refusal]) => ({ refused: refusal })));
    expect(outcomes.get(good.id)?.event?.seq).toBe(Number(before.seqs.find((c) => c.id === open)!.last_seq) + 1);
    const after = await stored();
    expect(after.messages).toBe(before.messages + 1);
    expect(after.events).toBe(before.events + 1);
  });

  it('keeps only the blocked pair apart: another participant of their chat still sends, alone and batched', async () => {
    expect(await insertMessageWithEvent(db, rate, toStore(message(withBlock, bob)))).toHaveProperty('event');
    const [refused, sent] = [message(withBlock, ann), message(withBlock, bob)];
    const outcomes = await insertMessagesWithEvents(db, rate, [refused, sent].map(toStore));
    expect(outcomes.get(refused.id)).toEqual({ refused: 'blocked' });
    expect(outcomes.get(sent.id)).toHaveProperty('event');
  });

  it('the event a statement returns is the row it stored, byte for byte', async () => {
    const alone = await insertMessageWithEvent(db, rate, toStore(message(open, ann)));
    const [batched] = (await insertMessagesWithEvents(db, rate, [toStore(message(open, bob)), toStore(message(open, ann))])).values();
    for (const outcome of [alone, batched!]) {
      const e = outcome.event!;
      const row = await db
        .selectFrom('chat_events')
        .select(['chat_id', 'seq', 'type', 'frame', 'headers'])
        .where('chat_id', '=', e.chat_id)
        .where('seq', '=', e.seq)
        .executeTakeFirstOrThrow();
      expect({ ...row, seq: Number(row.seq) }).toEqual(e);
      expect(JSON.parse(e.frame).seq).toBe(e.seq);
      expect(e.headers['Chat-Seq']).toBe(String(e.seq));
    }
  });
});
