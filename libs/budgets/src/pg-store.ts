import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { BudgetStore } from './budget.js';

/** The one table of every budget of a service's database, rate-limiter-flexible's layout. */
export const budgetsTable = 'budgets';

/**
 * Creates the budgets table; a service's migration calls it (the limiter is told the table exists,
 * so no instance races to create it at start).
 */
export async function createBudgetsTable(db: Kysely<any>): Promise<void> {
  // Unlogged: no WAL, so no fsync per consume; a crash of PostgreSQL empties it (windows start anew).
  await sql`create unlogged table ${sql.table(budgetsTable)} (key varchar(255) primary key, points integer not null default 0, expire bigint)`.execute(db);
  // rate-limiter-flexible deletes rows an hour past their expiry every five minutes.
  await sql`create index budgets_expire_idx on ${sql.table(budgetsTable)} (expire)`.execute(db);
}

/** Budgets in the service's own PostgreSQL database: one upsert statement per consume. */
export function pgBudgetStore(pool: pg.Pool): BudgetStore {
  return {
    kind: 'postgres',
    maxWindowSeconds: Infinity,
    limiter: (opts) => new RateLimiterPostgres({ ...opts, storeClient: pool, storeType: 'pool', tableName: budgetsTable, tableCreated: true }),
  };
}
