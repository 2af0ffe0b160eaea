import { existsSync } from 'node:fs';
import { connect } from 'nats';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';
import { findTestInfra, reachable } from './infra.js';

async function selectOne(url: string) {
  const client = new pg.Client({ connectionString: `${url}/postgres` });
  await client.connect();
  try {
    return (await client.query('select 1 as one')).rows;
  } finally {
    await client.end();
  }
}

describe('findTestInfra without servers', () => {
  it("starts npm start's local NATS and PostgreSQL where nothing answers, in a temp dir that stop() removes", async () => {
    // Free ports stand in for the defaults, which this machine's own servers may hold.
    const defaults = { natsUrl: `nats://127.0.0.1:${await freePort()}`, databaseUrl: `postgres://postgres@127.0.0.1:${await freePort()}` };
    const said: string[] = [];
    const infra = await findTestInfra({}, { say: (l) => said.push(l), defaults });
    let dir = '';
    try {
      expect(infra).toMatchObject(defaults);
      expect(said).toHaveLength(2);
      expect(said[0]).toMatch(/^no NATS at .*: started .*nats-server -js on it for this run/);
      expect(said[1]).toMatch(/^no PostgreSQL at .*: started the embedded PostgreSQL on it for this run/);
      dir = /\((\/[^)]+)\)$/.exec(said[0]!)![1]!;
      expect(existsSync(dir)).toBe(true);
      const nc = await connect({ servers: infra.natsUrl });
      expect((await (await nc.jetstreamManager()).getAccountInfo()).streams).toBe(0);
      await nc.close();
      expect(await selectOne(infra.databaseUrl)).toEqual([{ one: 1 }]);
    } finally {
      await infra.stop();
    }
    expect(existsSync(dir)).toBe(false);
    expect(await reachable(infra.natsUrl, 300)).toBe(false);
    expect(await reachable(infra.databaseUrl, 300)).toBe(false);
  }, 60_000);
});
