import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOwnPostgres, type OwnPostgres } from '@chatroulette/testing';
import { createDb } from './create-db.js';
import { mapDatabaseError } from './pg-errors.js';

let pg: OwnPostgres;
beforeAll(async () => {
  pg = await startOwnPostgres();
});
afterAll(() => pg?.stop());

describe('createDb', () => {
  it('survives the server dying under a checked-out connection (no uncaught error), and reconnects after', async () => {
    const db = await createDb<any>({ serverUrl: pg.url, database: 'crash_test', poolSize: 2 }, pino({ level: 'silent' }));
    try {
      // A transaction holds its client between queries when the server dies: pg emits 'error' on it.
      const tx = db.transaction().execute(async (t) => {
        await sql`select 1`.execute(t);
        await pg.kill();
        await new Promise((r) => setTimeout(r, 300));
        await sql`select 2`.execute(t);
      });
      const err = await tx.then(() => undefined, (e: unknown) => e);
      expect((mapDatabaseError(err) as { status?: number }).status).toBe(503);
      await pg.restart();
      const { rows } = await sql<{ n: number }>`select 3 as n`.execute(db);
      expect(rows).toEqual([{ n: 3 }]);
    } finally {
      await db.destroy();
    }
  });
});
