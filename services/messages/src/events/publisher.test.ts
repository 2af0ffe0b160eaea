import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { EventRow } from '../db/queries/events.js';
import { createPublisher } from './publisher.js';
import { outboxEvent } from './outbox-event.js';

const log = pino({ level: 'silent' });
const ev = (chat: string, seq: number): EventRow => outboxEvent('message_deleted', chat, seq, { message_id: `m${seq}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('publisher', () => {
  it('publishes a chat in seq order even when an earlier publish is slower', async () => {
    const sent: string[] = [];
    const marked: string[] = [];
    const p = createPublisher(
      async (e) => {
        await sleep(e.seq === 1 ? 30 : 1);
        sent.push(`${e.chat_id}:${e.seq}`);
      },
      async (e) => void marked.push(`${e.chat_id}:${e.seq}`),
      log,
    );
    p.publish([ev('a', 1)]);
    p.publish([ev('b', 1), ev('a', 2)]);
    p.publish([ev('a', 3)]);
    await p.idle();
    expect(sent.filter((s) => s.startsWith('a'))).toEqual(['a:1', 'a:2', 'a:3']);
    expect(sent).toContain('b:1');
    expect(marked).toHaveLength(4);
  });

  it('after a failed publish, leaves the rest of that chat to the relay and marks nothing of it', async () => {
    const sent: number[] = [];
    const marked: number[] = [];
    const p = createPublisher(
      async (e) => {
        if (e.seq === 2) throw new Error('nats down');
        sent.push(e.seq);
      },
      async (e) => void marked.push(e.seq),
      log,
    );
    p.publish([ev('a', 1), ev('a', 2), ev('a', 3)]);
    await p.idle();
    expect(sent).toEqual([1]);
    expect(marked).toEqual([1]);
    // A later, fresh chain publishes again.
    p.publish([ev('a', 4)]);
    await p.idle();
    expect(sent).toEqual([1, 4]);
  });
});
