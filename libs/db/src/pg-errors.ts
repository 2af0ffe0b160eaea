import { AppError, badRequest, unavailable } from '@chatroulette/errors';

const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

export function pgCode(err: unknown): string | undefined {
  return (err as { code?: string } | null)?.code;
}

export const isUniqueViolation = (err: unknown) => pgCode(err) === '23505';

/**
 * True when the database cannot be reached or is restarting: connection errors, class 08
 * (connection exception), 57P0x (shutdown), 53300 (too many connections), pool timeouts.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = pgCode(err);
  const message = (err as { message?: string } | null)?.message ?? '';
  if (code && (connectionCodes.has(code) || code.startsWith('08') || code.startsWith('57P') || code === '53300')) {
    return true;
  }
  // pg's own: a client whose connection broke ("... connection error and is not queryable") or was closed.
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|is not queryable/i.test(message);
}

/** Maps a database outage to 503 so a client retries instead of seeing a 500, and unstorable text (NUL) to 400. */
export function mapDatabaseError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  // 22021: text PostgreSQL cannot store (a NUL character) came from a client: bad input, not a bug.
  if (pgCode(err) === '22021') return badRequest('Text must not contain NUL characters');
  return isDatabaseUnavailable(err) ? unavailable('Database unavailable, retry shortly', err) : err;
}
