import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, StorageType, type NatsConnection } from 'nats';
import { startOwnNatsCluster, type OwnNatsCluster } from './own-nats-cluster.js';
import { waitUntil } from './wait-until.js';

const enc = new TextEncoder();

describe('startOwnNatsCluster', () => {
  let cluster: OwnNatsCluster | undefined;
  let nc: NatsConnection | undefined;
  beforeAll(async () => {
    cluster = await startOwnNatsCluster(3);
    nc = await connect({ servers: cluster.urls, timeout: 2000 });
  });
  afterAll(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  it('forms a JetStream cluster whose R3 stream survives the SIGKILL of its leader', async () => {
    const { nodes, urls } = cluster!;
    expect(urls).toHaveLength(3);
    expect(new Set(urls).size).toBe(3);
    expect(urls.every((u) => !u.endsWith(':4222'))).toBe(true);

    const jsm = await nc!.jetstreamManager();
    const created = await jsm.streams.add({ name: 'R3', subjects: ['r3.>'], num_replicas: 3, storage: StorageType.File });
    expect(created.cluster?.replicas).toHaveLength(2);
    const js = nc!.jetstream();
    await js.publish('r3.a', enc.encode('before'));

    const leader = nodes.find((n) => n.name === created.cluster?.leader)!;
    await leader.kill();
    expect(leader.running).toBe(false);

    // The two left elect a new leader and take writes again.
    await waitUntil(() => js.publish('r3.a', enc.encode('after'), { timeout: 1000 }), {
      what: 'a publish to the R3 stream after its leader was killed',
      timeoutMs: 15_000,
    });
    const info = await jsm.streams.info('R3');
    expect(info.cluster?.leader).not.toBe(leader.name);
    expect(info.state.messages).toBe(2);

    // The old leader comes back on its port and store, and catches up.
    await leader.restart();
    await waitUntil(
      async () => {
        const now = await jsm.streams.info('R3');
        return now.cluster?.replicas?.find((r) => r.name === leader.name)?.current ? now : undefined;
      },
      { what: `${leader.name} current again in R3`, timeoutMs: 15_000, intervalMs: 200 },
    );
  });
});
