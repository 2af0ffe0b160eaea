import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, headers as natsHeaders, type Msg, type NatsConnection } from 'nats';
import { eventHeaders } from '@chatroulette/contracts';
import { testScope } from '@chatroulette/testing';
import { fromHeaders, readEventMeta } from '../src/broker/event-headers.js';

const scope = testScope('gateway-event-headers');
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connect({ servers: scope.natsUrl });
});

afterAll(async () => {
  await nc?.drain();
});

/** Publishes each header set through the real NATS and gives back the messages as nats.js delivers them. */
async function roundTrip(sets: ([string, string][] | null)[]): Promise<Msg[]> {
  const subject = `${scope.namespace}.eventheaders.${Math.random().toString(36).slice(2)}`;
  const got: Msg[] = [];
  const done = new Promise<void>((resolve) => {
    nc.subscribe(subject, {
      callback: (_e, m) => {
        got.push(m);
        if (got.length === sets.length) resolve();
      },
    });
  });
  await nc.flush();
  for (const set of sets) {
    if (!set) {
      nc.publish(subject, 'no headers');
      continue;
    }
    const h = natsHeaders();
    for (const [k, v] of set) h.append(k, v);
    nc.publish(subject, 'payload', { headers: h });
  }
  await done;
  return got;
}

describe('readEventMeta', () => {
  it('reads what msg.headers reads, straight from the raw header block', async () => {
    const uuid = '7d2b8f0e-4a57-4c43-9a53-0f6f2b7d6a11';
    const sets: ([string, string][] | null)[] = [
      null,
      [[eventHeaders.seq, '1']],
      [[eventHeaders.seq, '123456789012345']],
      [[eventHeaders.seq, '1234567890123456']],
      [[eventHeaders.seq, '12a']],
      [[eventHeaders.seq, '-1']],
      [[eventHeaders.seq, ' 42 ']],
      [[eventHeaders.seq, '']],
      [['chat-seq', '5']],
      [['X-Other', 'a:b'], [eventHeaders.seq, '7'], [eventHeaders.seq, '8']],
      [[eventHeaders.dedupId, 'd-1'], [eventHeaders.seq, '9'], [eventHeaders.author, uuid], [eventHeaders.messageId, 'm-ü-1']],
      [[eventHeaders.author, ''], [eventHeaders.messageId, uuid]],
    ];
    const msgs = await roundTrip(sets);
    // The fast path is in use (nats.js 2.x internals): if this fails after a nats upgrade, readEventMeta
    // is on its fallback (still correct, but slower); see event-headers.ts.
    expect(msgs.map((m) => typeof (m as unknown as { _msg: { hdr: unknown } })._msg.hdr)).toEqual(sets.map(() => 'number'));
    const fast = msgs.map(readEventMeta);
    const slow = msgs.map((m) => fromHeaders(m.headers));
    expect(fast).toEqual(slow);
    expect(fast[0]).toBeNull();
    expect(fast.slice(1, 9).map((m) => m?.seq)).toEqual([1, 123456789012345, NaN, NaN, NaN, 42, null, null]);
    expect(fast[9]).toMatchObject({ seq: 7 });
    expect(fast[10]).toEqual({ seq: 9, author: uuid, messageId: 'm-ü-1' });
    expect(fast[11]).toEqual({ seq: null, author: undefined, messageId: uuid });
  });
});
