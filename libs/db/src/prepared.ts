import type pg from 'pg';

const MARK = /^\/\*prepare:([a-z0-9_]+)\*\//;

/**
 * Marks a hot statement to run as a named prepared statement: put `prepared('name')` at the very
 * start of its text (`sql\`${sql.raw(prepared('send_message'))} with ...\``). Each connection then
 * parses and plans it once (PostgreSQL may keep a generic plan) instead of at every call: for the
 * send statement, planning cost more than executing it. The text must be the same at every call
 * (no lists that change length: pass arrays), and the name unique per text.
 */
export const prepared = (name: string): string => `/*prepare:${name}*/`;

/** Makes the pool's clients run marked statements by name (see prepared). */
export function runMarkedStatementsPrepared(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (first: unknown, ...rest: unknown[]) => {
    if (typeof first === 'string') {
      const name = MARK.exec(first)?.[1];
      if (name && Array.isArray(rest[0])) return query({ name, text: first, values: rest[0] }, ...rest.slice(1));
    }
    return query(first, ...rest);
  };
}
