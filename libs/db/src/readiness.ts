import { sql, type Kysely } from 'kysely';

/**
 * The `database` check of `/readyz`: `select 1` through the service's own pool, so it fails when the
 * service's queries would (server gone, pool exhausted). A probe arriving while one is still waiting
 * shares it, so a hanging server never holds more than one pooled connection for the probes.
 */
export function databaseReady(db: Kysely<any>): () => Promise<void> {
  let inFlight: Promise<void> | undefined;
  return () =>
    (inFlight ??= sql`select 1`
      .execute(db)
      .then(() => undefined)
      .finally(() => {
        inFlight = undefined;
      }));
}
