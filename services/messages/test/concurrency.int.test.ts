import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { createSubjects } from '@chatroulette/contracts';
import { api, collectEvents, registerUser, sleep, startStack, testScope, type Stack, type TestUser } from '@chatroulette/testing';

const scope = testScope('messages-concurrency');
const subjects = createSubjects(scope.namespace);
let stack: Stack;
let nc: NatsConnection;
let one: string;
let two: string;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  // A second instance on the same database and NATS namespace.
  stack = await startStack({ infra: scope, instances: ['auth', 'messages', 'messages'] });
  [one, two] = stack.all('messages').map((m) => m.url) as [string, string];
  nc = await connect({ servers: scope.natsUrl });
  const auth = stack.get('auth').url;
  [alice, bob] = await Promise.all([registerUser(auth), registerUser(auth)]);
});
afterAll(async () => {
  await nc?.drain();
  await stack?.destroy();
});

describe('concurrent sends', () => {
  it('30 messages at once by two users through two instances get seq 1..30 in history order', async () => {
    const chat = (await api(one, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } })).body;
    const published = await collectEvents(nc, subjects.chatEvents(chat.id));
    const bases = [one, two];
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api(bases[i % 2]!, 'POST', `/api/v1/chats/${chat.id}/messages`, {
          token: (i % 3 === 0 ? alice : bob).token,
          body: { type: 'text', content: `m${i}` },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(201));

    await published.waitFor(30);
    await sleep(300);
    expect(published.events).toHaveLength(30);
    const bySeq = [...published.events].sort((a, b) => a.body.seq - b.body.seq);
    expect(bySeq.map((e) => e.body.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(bySeq.every((e) => e.headers['Chat-Seq'] === String(e.body.seq))).toBe(true);

    // History order is seq order: the history lists the messages exactly as the seqs number them.
    for (const base of bases) {
      const history = (await api(base, 'GET', `/api/v1/chats/${chat.id}/messages?limit=100`, { token: bob.token })).body;
      expect(history.map((m: any) => m.id)).toEqual(bySeq.map((e) => e.body.payload.id));
      expect(history).toEqual(bySeq.map((e) => e.body.payload));
    }
    const info = (await api(two, 'GET', `/api/v1/chats/${chat.id}`, { token: alice.token })).body;
    expect(info.last_seq).toBe(30);
  });

  it('mixed changes from both instances keep one contiguous sequence', async () => {
    const chat = (await api(two, 'POST', '/api/v1/chats', { token: bob.token, body: { type: 'private', participant_ids: [alice.id] } })).body;
    const published = await collectEvents(nc, subjects.chatEvents(chat.id));
    const first = (await api(one, 'POST', `/api/v1/chats/${chat.id}/messages`, { token: bob.token, body: { type: 'text', content: 'x' } })).body;
    const results = await Promise.all([
      api(one, 'POST', `/api/v1/messages/${first.id}/like`, { token: alice.token }),
      api(two, 'PUT', `/api/v1/messages/${first.id}/read`, { token: alice.token }),
      api(two, 'PUT', `/api/v1/messages/${first.id}/edit`, { token: bob.token, body: { content: 'y' } }),
      api(one, 'POST', `/api/v1/chats/${chat.id}/messages`, { token: alice.token, body: { type: 'text', content: 'z' } }),
      api(two, 'POST', `/api/v1/messages/${first.id}/like`, { token: bob.token }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 201, 200]);
    await published.waitFor(6);
    await sleep(300);
    expect(published.events.map((e) => e.body.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('delivery reports across chats, racing sends and reads on both instances, keep every chat contiguous', async () => {
    const chats = await Promise.all(
      [0, 1, 2].map(async () => (await api(one, 'POST', '/api/v1/chats', { token: alice.token, body: { type: 'private', participant_ids: [bob.id] } })).body),
    );
    const streams = await Promise.all(chats.map((c) => collectEvents(nc, subjects.chatEvents(c.id))));
    const bases = [one, two];
    const sent: { chat_id: string; id: string; reader: string }[] = [];
    const reads: Promise<unknown>[] = [];
    const sends = Array.from({ length: 45 }, async (_, i) => {
      const chat = chats[i % 3]!;
      const [author, reader] = i % 2 ? [bob, alice] : [alice, bob];
      const res = await api(bases[i % 2]!, 'POST', `/api/v1/chats/${chat.id}/messages`, { token: author.token, body: { type: 'text', content: `r${i}` } });
      expect(res.status).toBe(201);
      sent.push({ chat_id: chat.id, id: res.body.id, reader: reader.id });
      if (i % 5 === 0) reads.push(api(bases[(i + 1) % 2]!, 'PUT', `/api/v1/messages/${res.body.id}/read`, { token: reader.token }));
    });
    // Reports of everything sent so far, across the three chats, while sends and reads go on.
    const reporting = (async () => {
      for (let round = 0; round < 12; round++) {
        const receipts = sent.map((m) => ({ chat_id: m.chat_id, message_id: m.id, user_id: m.reader }));
        if (receipts.length) nc.publish(subjects.messagesDeliveriesReport, JSON.stringify({ receipts }));
        await sleep(15);
      }
    })();
    await Promise.all([...sends, reporting]);
    expect((await Promise.all(reads)).map((r: any) => r.status)).toEqual(reads.map(() => 200));
    nc.publish(subjects.messagesDeliveriesReport, JSON.stringify({ receipts: sent.map((m) => ({ chat_id: m.chat_id, message_id: m.id, user_id: m.reader })) }));
    await sleep(500);

    for (const [k, chat] of chats.entries()) {
      const lastSeq = (await api(one, 'GET', `/api/v1/chats/${chat.id}`, { token: alice.token })).body.last_seq;
      await streams[k]!.waitFor(lastSeq);
      const seqs = streams[k]!.events.map((e) => e.body.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
      const history = (await api(one, 'GET', `/api/v1/chats/${chat.id}/messages?limit=100`, { token: alice.token })).body;
      expect(history).toHaveLength(15);
      // Each message got to `delivered` or `read`, and at most one delivered event.
      expect(history.every((m: any) => m.status === 'delivered' || m.status === 'read')).toBe(true);
      const deliveredEvents = streams[k]!.events.filter((e) => e.body.type === 'message_status_update' && e.body.payload.status === 'delivered');
      expect(new Set(deliveredEvents.map((e) => e.body.payload.message_id)).size).toBe(deliveredEvents.length);
      const deliveredIds = deliveredEvents.map((e) => e.body.payload.message_id);
      for (const m of history.filter((m: any) => m.status === 'delivered')) expect(deliveredIds).toContain(m.id);
    }
  });
});
