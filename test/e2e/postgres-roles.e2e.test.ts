import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOwnPostgres, startStack, testScope, type OwnPostgres } from '@chatroulette/testing';

/** deploy/postgres/init-roles.sh (compose's first PostgreSQL start) on a PostgreSQL of this file. */
const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../deploy/postgres/init-roles.sh');
const services = ['auth', 'messages', 'roulette', 'media'];
let pgServer: OwnPostgres;

const runScript = (env: Record<string, string>) => {
  const { port } = new URL(pgServer.url);
  return spawnSync('sh', [script], { encoding: 'utf8', env: { PATH: process.env.PATH, PGHOST: '127.0.0.1', PGPORT: port, POSTGRES_USER: 'postgres', ...env } });
};
const passwords = Object.fromEntries(services.map((s) => [`POSTGRES_${s.toUpperCase()}_PASSWORD`, `pg-${s}`]));
const as = (role: string, database: string) => `postgres://${role}:pg-${role}@127.0.0.1:${new URL(pgServer.url).port}/${database}`;

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  pgServer = await startOwnPostgres();
});
afterAll(() => pgServer?.stop());

describe('deploy/postgres/init-roles.sh', () => {
  it('refuses to run with a password missing', () => {
    const { POSTGRES_MEDIA_PASSWORD: _missing, ...fewer } = passwords;
    const r = runScript(fewer);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/POSTGRES_MEDIA_PASSWORD is not set/);
  });

  it('gives each service a role owning its own database, closed to the other roles; twice is harmless', async () => {
    for (let i = 0; i < 2; i++) expect(runScript(passwords)).toMatchObject({ status: 0 });
    for (const s of services) {
      expect(await query(as(s, `chatroulette_${s}`), 'select current_user as u, current_database() as d')).toEqual([{ u: s, d: `chatroulette_${s}` }]);
    }
    await expect(query(as('auth', 'chatroulette_messages'), 'select 1')).rejects.toMatchObject({ code: '42501' });
    await expect(query(as('roulette', 'chatroulette_auth'), 'select 1')).rejects.toMatchObject({ code: '42501' });
    expect(await query(`${pgServer.url}/postgres`, "select rolsuper from pg_roles where rolname = 'messages'")).toEqual([{ rolsuper: false }]);
  });

  it('lets a service create and migrate its tables as its role', async () => {
    const stack = await startStack({
      infra: { ...testScope('pg-roles'), databaseUrl: as('auth', 'postgres').replace(/\/postgres$/, ''), database: () => 'chatroulette_auth' },
      instances: ['auth'],
    });
    try {
      const ready = await fetch(`${stack.get('auth').url}/readyz`);
      expect(ready.status).toBe(200);
      const owners = await query(as('auth', 'chatroulette_auth'), "select distinct tableowner from pg_tables where schemaname = 'public'");
      expect(owners).toEqual([{ tableowner: 'auth' }]);
    } finally {
      await stack.destroy();
    }
  });
});
