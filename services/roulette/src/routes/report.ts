import type { RequestHandler } from 'express';
import { reportBody, uuid } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import type { RouletteContext } from '../context.js';
import { report } from '../use-cases/report.js';

/**
 * POST /chatroulette/{chat_id}/report `{reason, details?}`: 201 `{report_id, status: "received"}`;
 * 400 a bad reason or details; 403 not a participant; 404 no such roulette chat; 409 already reported.
 */
export function reportRoute(ctx: RouletteContext): RequestHandler {
  return async (req, res) => {
    const chatId = parseInput(uuid, req.params.chat_id, 'chat_id');
    const body = parseInput(reportBody, req.body);
    res.status(201).json(await report(ctx, currentUser(req), chatId, body));
  };
}
