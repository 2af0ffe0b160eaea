import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { headers as natsHeaders, type NatsConnection } from 'nats';
import { eventHeaders, type Subjects } from '@chatroulette/contracts';
import { api, createChat, openSocket, registerUser, sleep, startStack, testScope, type SocketClient, type Stack, type TestUser } from '@chatroulette/testing';
import { metricValue, natsOf, startGatewayWithStats } from './helpers.js';

// Anyone on an open NATS can publish on chat.<id>.new_message: the gateway forwards only frames with
// a valid Chat-Seq in range (src/broker/seq-guard.ts).
const GAP_FILL_MS = 50;
const PER_KIND = 30;

const scope = testScope('gateway-forged-frames');
let stack: Stack;
let gw: Awaited<ReturnType<typeof startGatewayWithStats>>;
let nc: NatsConnection;
let subjects: Subjects;
let alice: TestUser;
let bob: TestUser;
const logged: Record<string, unknown>[] = [];

beforeAll(async () => {
  stack = await startStack({ infra: scope, instances: ['auth', 'messages'] });
  gw = await startGatewayWithStats(stack, scope, { GAP_FILL_MS: String(GAP_FILL_MS) }, {
    log: pino({ level: 'debug' }, { write: (line: string) => void logged.push(JSON.parse(line)) }),
  });
  ({ nc, subjects } = await natsOf(scope));
  [alice, bob] = await Promise.all([registerUser(gw.url), registerUser(gw.url)]);
});

afterAll(async () => {
  await nc?.drain().catch(() => undefined);
  await gw?.stop();
  await stack?.destroy();
});

async function send(chatId: string, content: string) {
  const res = await api(gw.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: alice.token, body: { type: 'text', content } });
  expect(res.status).toBe(201);
}

/** A new_message frame as messages would make it, published raw with `seq` as its Chat-Seq header (none when null). */
function forge(chatId: string, seq: string | null, n: number) {
  const frame = { type: 'new_message', chat_id: chatId, seq: Number(seq) || 1, payload: { id: crypto.randomUUID(), chat_id: chatId, user_id: bob.id, content: `forged-${n}` } };
  const h = natsHeaders();
  if (seq !== null) h.set(eventHeaders.seq, seq);
  nc.publish(subjects.chatEvent(chatId, 'new_message'), JSON.stringify(frame), seq === null ? undefined : { headers: h });
}

const contents = (c: SocketClient) => c.frames.filter((f) => f.type === 'new_message').map((f) => f.payload.content as string);
const seqs = (c: SocketClient) => c.frames.filter((f) => typeof f.seq === 'number').map((f) => f.seq as number);

describe('chat frames from NATS', () => {
  it('drops frames without a valid Chat-Seq or far ahead of the sequence, with no gap fill, while real messages flow in order', async () => {
    const chatId = await createChat(gw.url, alice, [bob]);
    const sockets = await Promise.all([openSocket(gw.url, { token: alice.token, chat_id: chatId }), openSocket(gw.url, { token: bob.token, chat_id: chatId })]);
    await send(chatId, 'real-1');
    await Promise.all(sockets.map((s) => s.next((f) => f.payload?.content === 'real-1')));
    const last = Math.max(...sockets.flatMap(seqs));

    let n = 0;
    for (let i = 0; i < PER_KIND; i++) {
      forge(chatId, null, n++); // no header
      forge(chatId, 'abc', n++); // malformed
      forge(chatId, '0', n++); // no seq is 0
      forge(chatId, String(last + 1_000_000), n++); // far future
    }
    await nc.flush();
    for (const c of ['real-2', 'real-3', 'real-4']) await send(chatId, c);
    await Promise.all(sockets.map((s) => s.next((f) => f.payload?.content === 'real-4')));
    // Long enough for several gap fills, had a forged seq opened a gap.
    await sleep(GAP_FILL_MS * 10);

    for (const s of sockets) {
      expect(contents(s)).toEqual(['real-1', 'real-2', 'real-3', 'real-4']);
      const got = seqs(s);
      expect(got).toEqual(Array.from({ length: got.length }, (_, i) => got[0]! + i));
    }
    const dropped = (reason: string) => metricValue(gw.metricsUrl, 'chatroulette_gateway_chat_frames_dropped_total', { reason });
    expect(await dropped('missing_seq')).toBe(PER_KIND);
    expect(await dropped('malformed_seq')).toBe(2 * PER_KIND);
    expect(await dropped('far_future_seq')).toBe(PER_KIND);
    const gapFills = await Promise.all(['filled', 'skipped', 'failed'].map((result) => metricValue(gw.metricsUrl, 'chatroulette_gateway_gap_fills_total', { result })));
    expect(gapFills).toEqual([0, 0, 0]);
    // 120 dropped frames, one warn line (rate-limited), naming the subject.
    const warned = logged.filter((l) => l.msg === 'chat frame from NATS without a valid Chat-Seq dropped');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ subject: subjects.chatEvent(chatId, 'new_message'), level: 40 });
    for (const s of sockets) await s.closeAndWait();
  });
});
