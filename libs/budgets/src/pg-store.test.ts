import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import { createDb, poolOf } from '@chatroulette/db';
import { testScope } from '@chatroulette/testing';
import { createBudgets, type BudgetFactory } from './budget.js';
import { createBudgetsTable, pgBudgetStore } from './pg-store.js';

const log = pino({ level: 'silent' });
const scope = testScope('budgets-pg');
const database = scope.database('budgets');
let one: Kysely<any>;
let two: Kysely<any>;
let onOne: BudgetFactory;
let onTwo: BudgetFactory;

beforeAll(async () => {
  // Two instances: their own pools on one database.
  one = await createDb<any>({ serverUrl: scope.databaseUrl, database, poolSize: 4 }, log);
  two = await createDb<any>({ serverUrl: scope.databaseUrl, database, poolSize: 4 }, log);
  await createBudgetsTable(one);
  onOne = createBudgets({ store: pgBudgetStore(poolOf(one)), log });
  onTwo = createBudgets({ store: pgBudgetStore(poolOf(two)), log });
});
afterAll(async () => {
  await Promise.all([one?.destroy(), two?.destroy()]);
});

const count = (answers: { ok: boolean }[]) => answers.filter((x) => x.ok).length;

describe('budgets in PostgreSQL', () => {
  it('allows exactly the budget to parallel consumes from two instances', async () => {
    const [x, y] = [onOne('parallel', { points: 15, perSeconds: 60 }), onTwo('parallel', { points: 15, perSeconds: 60 })];
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? x : y).consume('user-1')));
    expect(count(answers)).toBe(15);
    const refused = answers.find((s) => !s.ok);
    expect(refused && !refused.ok && refused.retryAfterMs).toBeGreaterThan(55_000);
    expect(await y.consume('user-2')).toEqual({ ok: true });
    const { rows } = await sql<{ key: string }>`select key from budgets order by key`.execute(one);
    expect(rows.map((r) => r.key)).toEqual(['parallel:user-1', 'parallel:user-2']);
  });

  it('falls back to this instance when the database is unreachable: it answers, logs and counts', async () => {
    const errors: string[] = [];
    const gone = await createDb<any>({ serverUrl: scope.databaseUrl, database, poolSize: 1 }, log);
    const budgets = createBudgets({ store: pgBudgetStore(poolOf(gone)), log, hooks: { storeError: (n) => errors.push(n) } });
    const x = budgets('fallback', { points: 2, perSeconds: 60 });
    // Its pool ended: every query fails at once, as with the server gone.
    await poolOf(gone).end();
    expect(count(await Promise.all(Array.from({ length: 4 }, () => x.consume('k'))))).toBe(2);
    expect(errors).toEqual(['fallback', 'fallback', 'fallback', 'fallback']);
  });
});
