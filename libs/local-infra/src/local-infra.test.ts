import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from 'nats';
import pg from 'pg';
import { ensureLocalInfra } from './local-infra.js';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function query(url: string, text: string) {
  const client = new pg.Client({ connectionString: `${url}/postgres` });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe('ensureLocalInfra (what npm start does when nothing answers)', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'local-infra-'));
  // As root the server runs as the postgres OS user, which must be able to reach its data dir (mkdtemp makes 0700).
  chmodSync(dataDir, 0o755);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts nats-server with JetStream and the embedded PostgreSQL, and a second run keeps the data', async () => {
    const defaults = { natsUrl: `nats://127.0.0.1:${await freePort()}`, databaseUrl: `postgres://postgres@127.0.0.1:${await freePort()}` };
    const said: string[] = [];
    const first = await ensureLocalInfra({ env: {}, dataDir, say: (l) => said.push(l), defaults });
    try {
      expect(first).toMatchObject(defaults);
      expect(said).toHaveLength(2);
      expect(said.join('\n')).toMatch(/no NATS at .*: started .*nats-server -js/);
      expect(said.join('\n')).toMatch(/no PostgreSQL at .*: started the embedded PostgreSQL/);
      const nc = await connect({ servers: first.natsUrl });
      expect((await (await nc.jetstreamManager()).getAccountInfo()).streams).toBe(0);
      await nc.close();
      await query(first.databaseUrl, 'create table kept (n int); insert into kept values (42)');
    } finally {
      await first.stop();
    }

    const again: string[] = [];
    const second = await ensureLocalInfra({ env: {}, dataDir, say: (l) => again.push(l), defaults });
    try {
      expect(await query(second.databaseUrl, 'select n from kept')).toEqual([{ n: 42 }]);
    } finally {
      await second.stop();
    }
    // Stopped means gone: nothing answers any more.
    await expect(query(second.databaseUrl, 'select 1')).rejects.toThrow();
  }, 60_000);

  it('uses a variable that is set as it is, starting nothing', async () => {
    const said: string[] = [];
    const infra = await ensureLocalInfra({ env: { NATS_URL: 'nats://example.invalid:1', DATABASE_URL: 'postgres://x@example.invalid:1' }, dataDir, say: (l) => said.push(l) });
    expect(infra).toMatchObject({ natsUrl: 'nats://example.invalid:1', databaseUrl: 'postgres://x@example.invalid:1' });
    expect(said).toEqual([]);
    await infra.stop();
  });
});
