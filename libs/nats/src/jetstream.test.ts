import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { pino } from 'pino';
import { startOwnNatsCluster, type OwnNatsCluster } from '@chatroulette/testing';
import { encodeText } from './codec.js';
import { ensureStream, jetStreamSetup, publishDurable } from './jetstream.js';

const log = pino({ level: 'silent' });

describe('ensureStream on a cluster of three', () => {
  let cluster: OwnNatsCluster;
  let nc: NatsConnection;
  beforeAll(async () => {
    cluster = await startOwnNatsCluster(3);
    nc = await connect({ servers: cluster.urls });
  }, 60_000);
  afterAll(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  it('creates the stream with the replicas asked for, idempotently, and de-duplicates re-publishes', async () => {
    const spec = { name: 'R3_TEST', subjects: ['r3.>'], duplicateWindowMs: 60_000, maxAgeMs: 60_000, replicas: 3 };
    await Promise.all([ensureStream(nc, spec, log), ensureStream(nc, spec, log)]);
    const info = await (await nc.jetstreamManager()).streams.info('R3_TEST');
    expect(info.config.num_replicas).toBe(3);
    expect(info.cluster?.replicas ?? []).toHaveLength(2);

    expect(await publishDurable(nc, 'r3.a', encodeText('x'), 'id-1')).toEqual({ duplicate: false });
    expect(await publishDurable(nc, 'r3.a', encodeText('x'), 'id-1')).toEqual({ duplicate: true });
  }, 60_000);
});

describe('jetStreamSetup', () => {
  it('tries again after a create raced another (subjects overlap), and throws any other error at once', async () => {
    let calls = 0;
    const opened = await jetStreamSetup(async () => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('subjects overlap with an existing stream'), { code: '400' });
      return 'opened';
    });
    expect([opened, calls]).toEqual(['opened', 2]);

    let tries = 0;
    const refused = jetStreamSetup(async () => {
      tries += 1;
      throw Object.assign(new Error('insufficient resources'), { code: '400' });
    });
    await expect(refused).rejects.toThrow('insufficient resources');
    expect(tries).toBe(1);
  });
});
