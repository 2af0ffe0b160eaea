import { sql, type Kysely } from 'kysely';

/** The username comes with auth's offline event and is kept for chatroulette_left at the deadline. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('grace_deadlines')
    .addColumn('username', 'text', (c) => c.notNull().defaultTo(sql`''`))
    .execute();
}
