import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, StorageType, type NatsConnection } from 'nats';
import { startOwnNats, type OwnNats } from './own-nats.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Connects, runs `fn`, closes: each step talks to the server as it is now. */
async function withNats<T>(url: string, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: url, timeout: 2000 });
  try {
    return await fn(nc);
  } finally {
    await nc.close();
  }
}

async function lastMessages(url: string) {
  return withNats(url, async (nc) => {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info('FAULTS');
    const last = await jsm.streams.getMessage('FAULTS', { last_by_subj: 'faults.a' });
    return { count: info.state.messages, last: dec.decode(last.data) };
  });
}

describe('startOwnNats', () => {
  let nats: OwnNats | undefined;
  beforeAll(async () => {
    nats = await startOwnNats({ jetstream: true });
  });
  afterAll(async () => {
    await nats?.stop();
  });

  it('runs its own JetStream server on a free port, whose stream survives a restart and a SIGKILL', async () => {
    const own = nats!;
    expect(own.port).not.toBe(4222);
    expect(own.url).toBe(`nats://127.0.0.1:${own.port}`);
    await withNats(own.url, async (nc) => {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: 'FAULTS', subjects: ['faults.>'], storage: StorageType.File });
      await nc.jetstream().publish('faults.a', enc.encode('one'));
    });

    const firstPid = own.pid;
    await own.restart();
    expect(own.pid).not.toBe(firstPid);
    expect(await lastMessages(own.url)).toEqual({ count: 1, last: 'one' });

    await own.kill();
    expect(own.running).toBe(false);
    await expect(withNats(own.url, async () => 'connected')).rejects.toThrow();
    await own.restart();
    expect(own.running).toBe(true);
    expect(await lastMessages(own.url)).toEqual({ count: 1, last: 'one' });

    // The server after the crash takes writes as before.
    await withNats(own.url, (nc) => nc.jetstream().publish('faults.a', enc.encode('two')));
    expect(await lastMessages(own.url)).toEqual({ count: 2, last: 'two' });
  });

  it('removes its store dir on stop, and keeps one the caller passed', async () => {
    const temp = await startOwnNats();
    expect(existsSync(temp.storeDir)).toBe(true);
    await temp.stop();
    expect(existsSync(temp.storeDir)).toBe(false);
    expect(temp.running).toBe(false);

    // A second server on the first one's kept store finds its stream.
    const kept = await startOwnNats({ keepStore: true });
    try {
      await withNats(kept.url, async (nc) => {
        await (await nc.jetstreamManager()).streams.add({ name: 'KEPT', subjects: ['kept.>'], storage: StorageType.File });
      });
    } finally {
      await kept.stop();
    }
    const reuse = await startOwnNats({ storeDir: kept.storeDir });
    try {
      const names = await withNats(reuse.url, async (nc) => (await (await nc.jetstreamManager()).streams.names().next()));
      expect(names).toContain('KEPT');
    } finally {
      await reuse.stop();
    }
    expect(existsSync(kept.storeDir)).toBe(true);
    rmSync(kept.storeDir, { recursive: true, force: true });
  });
});
