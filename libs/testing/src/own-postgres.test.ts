import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startOwnPostgres, type OwnPostgres } from './own-postgres.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string, timeoutMs = 2000): Promise<T[]> {
  const client = new pg.Client({ connectionString: `${url}/postgres`, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('startOwnPostgres', () => {
  let db: OwnPostgres | undefined;
  beforeAll(async () => {
    db = await startOwnPostgres();
  });
  afterAll(async () => {
    const dataDir = db?.dataDir;
    await db?.stop();
    if (dataDir) expect(existsSync(dataDir)).toBe(false);
  });

  it('keeps a committed row when its postmaster is SIGKILLed and restarted', async () => {
    const own = db!;
    expect(own.port).not.toBe(5432);
    expect(own.url).toBe(`postgres://postgres@127.0.0.1:${own.port}`);
    await query(own.url, 'create table kept (v text)');
    await query(own.url, `insert into kept values ('survives')`);

    const held = new pg.Client({ connectionString: `${own.url}/postgres` });
    const lost = new Promise<Error>((resolve) => held.on('error', resolve));
    await held.connect();

    const firstPid = own.pid;
    await own.kill();
    expect(own.running).toBe(false);
    // A client of the crashed server learns it, as the services' pools will.
    expect((await lost).message).toMatch(/postmaster|terminat/i);
    await expect(query(own.url, 'select 1', 500)).rejects.toThrow();

    await own.restart();
    expect(own.pid).not.toBe(firstPid);
    expect(await query(own.url, 'select v from kept')).toEqual([{ v: 'survives' }]);
    await held.end().catch(() => undefined);
  });

  it('hangs new connections while paused and answers after', async () => {
    const own = db!;
    const paused = own.pause(1200);
    await expect(query(own.url, 'select 1', 400)).rejects.toThrow(/timeout/i);
    await paused;
    expect(await query(own.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });
});
