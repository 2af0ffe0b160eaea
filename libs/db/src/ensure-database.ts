import pg from 'pg';
import type { Logger } from 'pino';
import { connectToServer } from './wait-for-server.js';

/**
 * Creates the service's database on the server when it is missing.
 * Two instances starting at once may both try: the loser's "already exists" is success.
 */
export async function ensureDatabase(serverUrl: string, database: string, log: Logger): Promise<void> {
  const client = await connectToServer(withDatabase(serverUrl, 'postgres'), log);
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount) return;
    try {
      await client.query(`create database ${pg.escapeIdentifier(database)}`);
    } catch (e) {
      // 42P04 duplicate_database; 23505 when the race is lost inside the catalog insert.
      const code = (e as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw e;
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`drop database if exists ${pg.escapeIdentifier(database)} with (force)`);
  } finally {
    await client.end();
  }
}

/** The server URL with its path replaced by `database`. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
