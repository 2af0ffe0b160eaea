import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { ensureDatabase, withDatabase } from './ensure-database.js';
import { runMarkedStatementsPrepared } from './prepared.js';

// int8 (bigint, count(*)) as a JS number: our counts and sequences stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export interface DbConfig {
  serverUrl: string;
  database: string;
  poolSize: number;
}

/** The pg pool under each kysely instance createDb made, for libraries that speak pg directly (budgets). */
const pools = new WeakMap<object, pg.Pool>();

/** The pg pool a kysely instance from createDb runs on. */
export function poolOf<DB>(db: Kysely<DB>): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('poolOf: this kysely instance was not made by createDb');
  return pool;
}

/** Ensures the database exists, then returns a kysely instance over a pg pool. */
export async function createDb<DB>(cfg: DbConfig, log: Logger): Promise<Kysely<DB>> {
  await ensureDatabase(cfg.serverUrl, cfg.database, log);
  const pool = new pg.Pool({
    connectionString: withDatabase(cfg.serverUrl, cfg.database),
    max: cfg.poolSize,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', (err) => log.warn({ err: err.message }, 'idle database connection lost'));
  // Nor a checked-out one: pg emits 'error' on a client in use when its server dies (the pool listens only
  // while a client is idle), which without a listener is an uncaught exception. Its query fails on its own.
  pool.on('connect', (client) => {
    client.on('error', (err) => log.warn({ err: err.message }, 'database connection lost'));
    runMarkedStatementsPrepared(client);
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}
