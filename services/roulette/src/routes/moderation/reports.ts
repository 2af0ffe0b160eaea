import { reportsQuery } from '@chatroulette/contracts';
import type { RequestHandler } from 'express';
import { currentUser, parseInput } from '@chatroulette/http';
import type { RouletteContext } from '../../context.js';
import { listReports } from '../../use-cases/moderate.js';

/** GET /moderation/reports?status=open|resolved: 200 `{reports: [...]}` with their evidence (moderators only). */
export function reportsRoute(ctx: RouletteContext): RequestHandler {
  return async (req, res) => {
    const { status } = parseInput(reportsQuery, { status: req.query.status }, 'status');
    res.status(200).json(await listReports(ctx, currentUser(req), status));
  };
}
