import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testScope } from '@chatroulette/testing';
import { createDb } from './create-db.js';
import { dropDatabase } from './ensure-database.js';
import { prepared } from './prepared.js';

const scope = testScope('db-prepared');
const database = scope.database('prepared');
let db: Awaited<ReturnType<typeof createDb<any>>>;

beforeAll(async () => {
  // One connection: what one statement prepared, the next one sees.
  db = await createDb<any>({ serverUrl: scope.databaseUrl, database, poolSize: 1 }, pino({ level: 'silent' }));
});
afterAll(async () => {
  await db?.destroy();
  await dropDatabase(scope.databaseUrl, database);
});

const preparedNames = async () =>
  (await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(db)).rows.map((r) => r.name);

it('runs a marked statement as a named prepared statement on its connection, and nothing else', async () => {
  expect(await preparedNames()).toEqual([]);
  const add = (a: number, b: number) => sql<{ n: number }>`${sql.raw(prepared('probe_add'))} select ${a}::int + ${b}::int as n`.execute(db);
  expect((await add(1, 2)).rows).toEqual([{ n: 3 }]);
  expect((await add(40, 2)).rows).toEqual([{ n: 42 }]);
  await sql`select ${1}::int as unmarked`.execute(db);
  expect(await preparedNames()).toEqual(['probe_add']);
});
