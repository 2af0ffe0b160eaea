import { afterAll, describe, expect, it } from 'vitest';
import { sql, type Kysely, type Migration } from 'kysely';
import { pino } from 'pino';
import { testScope } from '@chatroulette/testing';
import { createDb } from './create-db.js';
import { migrateToLatest } from './migrate.js';
import { dropDatabase } from './ensure-database.js';

const scope = testScope('db-migrate');
const log = pino({ level: 'silent' });
const migrations: Record<string, Migration> = {
  '20260101000000-items': {
    up: async (db: Kysely<any>) => {
      await db.schema.createTable('items').addColumn('id', 'serial', (c) => c.primaryKey()).execute();
    },
  },
  '20260101000001-items-name': {
    up: async (db: Kysely<any>) => {
      await db.schema.alterTable('items').addColumn('name', 'text').execute();
    },
  },
};

describe('createDb + migrateToLatest', () => {
  const database = scope.database('m');
  const dbs: Kysely<any>[] = [];
  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.destroy()));
    await dropDatabase(scope.databaseUrl, database);
  });

  it('creates the database and migrates it once when two instances start at the same moment', async () => {
    const cfg = { serverUrl: scope.databaseUrl, database, poolSize: 2 };
    const [a, b] = await Promise.all([createDb<any>(cfg, log), createDb<any>(cfg, log)]);
    dbs.push(a, b);
    await Promise.all([migrateToLatest(a, migrations, log), migrateToLatest(b, migrations, log)]);

    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(a);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
    await a.insertInto('items').values({ name: 'x' }).execute();
    expect(await b.selectFrom('items').select('name').execute()).toEqual([{ name: 'x' }]);
  });
});
