import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { withDatabase } from '@chatroulette/db';
import { headers as natsHeaders, type NatsConnection } from 'nats';
import { eventHeaders, type Subjects } from '@chatroulette/contracts';
import { createChat, openSocket, registerUser, sleep, startStack, testScope, type SocketClient, type Stack } from '@chatroulette/testing';
import { natsOf } from './helpers.js';

// A gap that opens while the messages service (the event log) is down must wait for it, not be skipped.
const GAP_FILL_MS = 50;

const scope = testScope('gateway-gap-outage');
let stack: Stack;
let nc: NatsConnection;
let subjects: Subjects;
let db: pg.Client;

beforeAll(async () => {
  stack = await startStack({ infra: scope, env: { gateway: { GAP_FILL_MS: String(GAP_FILL_MS) } }, instances: ['auth', 'messages', 'gateway'] });
  ({ nc, subjects } = await natsOf(scope));
  db = new pg.Client({ connectionString: withDatabase(scope.databaseUrl, scope.database('messages')) });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await nc?.drain().catch(() => undefined);
  await stack?.destroy();
});

const frame = (chatId: string, seq: number) => ({ type: 'message_liked', chat_id: chatId, seq, payload: { message_id: chatId, likes_count: seq, liked_by: [], liked_at: null } });
const seqsOf = (c: SocketClient) => c.frames.filter((f) => typeof f.seq === 'number').map((f) => f.seq as number);

describe('gap fill while the event log is away', () => {
  it('keeps asking the log through a messages outage longer than its first fills, then fills the gap in order', async () => {
    const gw = stack.get('gateway');
    const [alice, bob] = await Promise.all([registerUser(gw.url), registerUser(gw.url)]);
    const chatId = await createChat(gw.url, alice, [bob]);
    const c = await openSocket(gw.url, { token: alice.token, chat_id: chatId });
    const { rows } = await db.query('select last_seq from chats where id = $1', [chatId]);
    const base = Number(rows[0].last_seq);
    // base+1 committed and marked published but never seen on NATS (as after a crash between
    // the publish of a later seq and its own): only the log has it, so only a gap fill can bring it.
    for (const seq of [base + 1, base + 2]) {
      await db.query(`insert into chat_events (chat_id, seq, type, frame, headers, published_at) values ($1, $2, 'message_liked', $3, '{}', now())`, [
        chatId,
        seq,
        JSON.stringify(frame(chatId, seq)),
      ]);
    }
    await db.query('update chats set last_seq = $2 where id = $1', [chatId, base + 2]);

    await stack.get('messages').stop();
    const h = natsHeaders();
    h.set(eventHeaders.seq, String(base + 2));
    nc.publish(subjects.chatEvent(chatId, 'message_liked'), JSON.stringify(frame(chatId, base + 2)), { headers: h });
    await nc.flush();
    // Far longer than the fills that used to be tried before the gap was skipped (50+100+...+800 ms).
    await sleep(4000);
    expect(seqsOf(c)).toEqual([]);

    await stack.start('messages');
    const until = Date.now() + 10_000;
    while (seqsOf(c).length < 2 && Date.now() < until) await sleep(50);
    expect(seqsOf(c)).toEqual([base + 1, base + 2]);
    await c.closeAndWait();
  });
});
