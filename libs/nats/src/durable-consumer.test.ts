import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { pino } from 'pino';
import { z } from 'zod';
import { sleep, testScope, waitUntil } from '@chatroulette/testing';
import { encodeJson, encodeText } from './codec.js';
import { consumeDurable } from './durable-consumer.js';
import { ensureStream, publishDurable } from './jetstream.js';

const log = pino({ level: 'silent' });
const schema = z.object({ n: z.number() });

describe('consumeDurable', () => {
  const scope = testScope('nats-durable');
  const stream = `${scope.namespace.replace(/[^A-Za-z0-9_-]/g, '_')}_DURABLE`;
  const subject = (s: string) => `${scope.namespace}.durable.${s}`;
  let nc: NatsConnection;
  beforeAll(async () => {
    nc = await connect({ servers: scope.natsUrl });
  });
  afterAll(async () => {
    await (await nc.jetstreamManager()).streams.delete(stream).catch(() => undefined);
    await nc?.close();
  });

  it('waits for the stream, acks what its handler applied, redelivers a failure, drops malformed events, and resumes after a restart', async () => {
    const seen: number[] = [];
    let failOnce = true;
    const start = () =>
      consumeDurable({
        nc,
        stream,
        name: 'copy',
        filterSubject: subject('*'),
        schema,
        log,
        retryMs: 50,
        handler: async ({ n }) => {
          if (n === 2 && failOnce) {
            failOnce = false;
            throw new Error('database down');
          }
          seen.push(n);
        },
      });
    // Started before its stream exists (the owner starts later): it binds once the stream is there.
    let consumer = start();
    await sleep(300);
    await ensureStream(nc, { name: stream, subjects: [subject('*')], duplicateWindowMs: 60_000, maxAgeMs: 0 }, log);
    await consumer.ready;
    for (const n of [1, 2, 3]) await publishDurable(nc, subject('a'), encodeJson({ n }), `n${n}`);
    await publishDurable(nc, subject('a'), encodeText('not json'), 'bad1');
    await publishDurable(nc, subject('a'), encodeJson({ n: 'x' }), 'bad2');
    await waitUntil(async () => (seen.length >= 3 ? true : undefined), { what: 'three events applied', timeoutMs: 5000 });
    expect([...seen].sort()).toEqual([1, 2, 3]);
    expect(failOnce).toBe(false);
    await consumer.stop();

    // Published while no instance runs: the next start gets exactly those.
    for (const n of [4, 5]) await publishDurable(nc, subject('b'), encodeJson({ n }), `n${n}`);
    consumer = start();
    await waitUntil(async () => (seen.length >= 5 ? true : undefined), { what: 'the events published while stopped', timeoutMs: 5000 });
    await sleep(300);
    expect(seen.slice(3)).toEqual([4, 5]);
    expect(seen).toHaveLength(5);
    await consumer.stop();
  });
});
