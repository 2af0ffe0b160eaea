import type { Kysely } from 'kysely';
import { createBudgetsTable } from '@chatroulette/budgets';

/** The per-user budgets every instance shares (rate-limiter-flexible's table, created here rather than at start). */
export async function up(db: Kysely<any>): Promise<void> {
  await createBudgetsTable(db);
}
