import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * The auth database as rate-limiter-flexible's RateLimiterPostgres wants a pg pool (`query({text,
 * values})` answering `{rows, rowCount}`), over kysely's own pool: the budgets need no second pool.
 * Its statements are the library's, on the `auth_budgets` table the migrations create.
 */
export function budgetStore(db: Kysely<Database>) {
  return {
    async query(q: { text: string; values?: unknown[] }) {
      const res = await db.executeQuery(CompiledQuery.raw(q.text, q.values ?? []));
      return { rows: res.rows, rowCount: Number(res.numAffectedRows ?? res.rows.length) };
    },
  };
}
