import type { RequestHandler } from 'express';
import { sql } from 'kysely';
import { unavailable } from '@chatroulette/errors';
import type { AuthContext } from '../context.js';

/** GET /healthz -> 200 when the database answers, else 503 */
export const healthRoute =
  (ctx: AuthContext): RequestHandler =>
  async (_req, res) => {
    try {
      await sql`select 1`.execute(ctx.db);
    } catch (e) {
      throw unavailable('Database unavailable', e);
    }
    res.json({ status: 'ok' });
  };
