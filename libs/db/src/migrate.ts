import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { Logger } from 'pino';

/**
 * Runs the service's migrations to the latest, under a session advisory lock so that
 * instances starting at once migrate one after the other.
 */
export async function migrateToLatest(
  db: Kysely<any>,
  migrations: Record<string, Migration>,
  log: Logger,
): Promise<void> {
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext('chatroulette.migrate'))`.execute(conn);
    try {
      const migrator = new Migrator({ db: conn, provider: { getMigrations: async () => migrations } });
      const { error, results } = await migrator.migrateToLatest();
      for (const r of results ?? []) {
        if (r.status === 'Success') log.info({ migration: r.migrationName }, 'migration applied');
        if (r.status === 'Error') log.error({ migration: r.migrationName }, 'migration failed');
      }
      if (error) throw error;
    } finally {
      await sql`select pg_advisory_unlock(hashtext('chatroulette.migrate'))`.execute(conn);
    }
  });
}
