import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { pino } from 'pino';
import { z } from 'zod';
import { pollUntil, testScope } from '@chatroulette/testing';
import { AppError, unavailable } from '@chatroulette/errors';
import { encodeJson, encodeText } from './codec.js';
import { createNatsHandlers } from './handlers.js';
import { request } from './rpc.js';

const log = pino({ level: 'silent' });
const contract = { request: z.object({ n: z.number() }), reply: z.object({ doubled: z.number() }) };

describe('createNatsHandlers', () => {
  const scope = testScope('nats-handlers');
  const subject = (s: string) => `${scope.namespace}.${s}`;
  let nc: NatsConnection;
  beforeAll(async () => {
    nc = await connect({ servers: scope.natsUrl });
  });
  afterAll(() => nc?.close());

  it('replies with the result, a typed error for bad input, and maps thrown errors once', async () => {
    const handlers = createNatsHandlers({
      nc,
      queue: 'q',
      log,
      mapError: (e) => ((e as Error).message === 'db down' ? unavailable('Database unavailable') : e),
    });
    handlers.reply(subject('svc.numbers.double'), contract, ({ n }) => {
      if (n < 0) throw new Error('db down');
      return { doubled: n * 2 };
    });
    await nc.flush();
    expect(await request(nc, subject('svc.numbers.double'), contract, { n: 21 })).toEqual({ doubled: 42 });
    await expect(request(nc, subject('svc.numbers.double'), contract, { n: 'x' as never })).rejects.toMatchObject({ status: 400 });
    await expect(request(nc, subject('svc.numbers.double'), contract, { n: -1 })).rejects.toMatchObject({ status: 503 });
    await handlers.close();
  });

  it('hands the caller the same error: its code (403 blocked, not forbidden), details and when to retry', async () => {
    const handlers = createNatsHandlers({ nc, queue: 'q', log });
    handlers.reply(subject('svc.numbers.refuse'), contract, ({ n }) => {
      if (n === 1) throw new AppError('blocked', 'You blocked each other');
      if (n === 2) throw new AppError('suspended', 'Suspended', { details: { suspended_until: '2030-01-01T00:00:00.000Z' } });
      throw new AppError('too_many_requests', 'Slow down', { retryAfter: 3 });
    });
    await nc.flush();
    const refused = (n: number) => request(nc, subject('svc.numbers.refuse'), contract, { n }).catch((e: AppError) => e);
    expect(await refused(1)).toMatchObject({ status: 403, code: 'blocked', message: 'You blocked each other', details: undefined });
    expect(await refused(2)).toMatchObject({ status: 403, code: 'suspended', details: { suspended_until: '2030-01-01T00:00:00.000Z' } });
    expect(await refused(3)).toMatchObject({ status: 429, code: 'too_many_requests', retryAfter: 3 });
    await handlers.close();
  });

  it('consumes valid events, drops malformed ones, and close waits for handlers in flight', async () => {
    const handlers = createNatsHandlers({ nc, queue: 'q', log });
    const seen: number[] = [];
    let finished = 0;
    handlers.consume(subject('events.*'), z.object({ n: z.number() }), async ({ n }, msg) => {
      expect(msg.subject).toBe(subject('events.a'));
      seen.push(n);
      await new Promise((r) => setTimeout(r, 50));
      finished++;
    });
    await nc.flush();
    nc.publish(subject('events.a'), encodeText('not json'));
    nc.publish(subject('events.a'), encodeJson({ n: 'wrong' }));
    nc.publish(subject('events.a'), encodeJson({ n: 7 }));
    await pollUntil(async () => seen.length, (n) => n === 1);
    await handlers.close();
    expect(seen).toEqual([7]);
    expect(finished).toBe(1);
  });
});
