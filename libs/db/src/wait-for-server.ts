import pg from 'pg';
import type { Logger } from 'pino';
import { ConfigError } from '@chatroulette/config';
import { isDatabaseUnavailable } from './pg-errors.js';

/** How long a starting service waits for a PostgreSQL that refuses connections (it may be starting too). */
const WAIT_MS = 15_000;
/** After this long without an answer, the wait is logged once. */
const SAY_AFTER_MS = 1000;

/** The URL as it may be printed: no password. */
export function printableUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * A connected client to the server's `postgres` database. A server that is not up yet (refused, reset,
 * starting) is waited for, said once after a second; one that still does not answer after 15 s, or
 * answers with a refusal (wrong password, unknown host), stops the start with a ConfigError naming
 * DATABASE_URL and what answered.
 */
export async function connectToServer(url: string, log: Logger, waitMs = WAIT_MS): Promise<pg.Client> {
  const started = Date.now();
  let said = false;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      if (said) log.info({ url: printableUrl(url) }, 'PostgreSQL answers');
      return client;
    } catch (e) {
      await client.end().catch(() => undefined);
      const why = (e as Error).message || String(e);
      if (!isDatabaseUnavailable(e) || Date.now() - started > waitMs) {
        throw new ConfigError(`PostgreSQL at ${printableUrl(url)} (DATABASE_URL) does not accept connections: ${why}`);
      }
      if (!said && Date.now() - started >= SAY_AFTER_MS) {
        said = true;
        log.warn({ url: printableUrl(url), reason: why }, `waiting for PostgreSQL at ${printableUrl(url)} (DATABASE_URL)`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
