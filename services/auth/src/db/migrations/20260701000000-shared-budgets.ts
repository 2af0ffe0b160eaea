import type { Kysely } from 'kysely';
import { createBudgetsTable } from '@chatroulette/budgets';

/** Auth's budgets move to libs/budgets' table (the one messages and roulette have); their windows start anew. */
export async function up(db: Kysely<any>): Promise<void> {
  await createBudgetsTable(db);
  await db.schema.dropTable('auth_budgets').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('budgets').execute();
  await db.schema
    .createTable('auth_budgets')
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expire', 'bigint')
    .execute();
}
