import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { applyBlockState } from '@chatroulette/blocks';
import type { ReportBody } from '@chatroulette/contracts';
import { conflict } from '@chatroulette/errors';
import type { Database } from '../db/schema.js';
import { matchByChat } from '../db/queries/matches.js';
import { findReport, insertReport, openReporters } from '../db/queries/reports.js';
import { suspendedUntil } from '../db/queries/suspensions.js';
import { blockThroughAuth } from '../clients/auth-blocks.js';
import { recentMessages } from '../clients/messages-chats.js';
import { assertParticipant, partnerOf } from '../domain/match.js';
import type { RouletteContext } from '../context.js';
import { endLiveMatchOf } from './end-match.js';
import { withMatchingLock } from './matching-lock.js';
import { endSuspendedMatch, suspendInLock } from './suspend.js';

const alreadyReported = () => conflict('You already reported this chat');

/**
 * A participant reports the other of a roulette chat (once per chat: 409 after): the chat's newest
 * messages are kept as they are now, auth (the owner of blocks) blocks the reported user for the
 * reporter, and the match ends as a skip by the reporter. Reports from enough different users
 * within the window suspend the reported user (out of the queue and out of a live match).
 */
export async function report(ctx: RouletteContext, reporter: { userId: string; username: string }, chatId: string, body: ReportBody) {
  const match = assertParticipant(await matchByChat(ctx.db, chatId), reporter.userId);
  const reportedId = partnerOf(match, reporter.userId);
  // Before anything is done: a second report of the chat changes nothing.
  if (await findReport(ctx.db, chatId, reporter.userId)) throw alreadyReported();
  const evidence = await recentMessages(ctx.nc, ctx.subjects, chatId);
  const block = await blockThroughAuth(ctx.nc, ctx.subjects, reporter.userId, reportedId);
  const id = randomUUID();
  const outcome = await withMatchingLock(ctx, async (trx) => {
    const row = { id, chat_id: chatId, reporter_id: reporter.userId, reported_id: reportedId, reason: body.reason, details: body.details ?? null };
    if (!(await insertReport(trx, { ...row, messages: JSON.stringify(evidence) }))) return undefined;
    // The copy learns of the block now rather than when auth's event comes: the pair is kept apart from this commit on.
    await applyBlockState(trx, block);
    return { suspendedUntil: await suspendIfReportedEnough(ctx, trx, reportedId) };
  });
  if (!outcome) throw alreadyReported();
  ctx.log.info({ reportId: id, chatId, reporterId: reporter.userId, reportedId, reason: body.reason, evidence: evidence.length }, 'report received');
  await endLiveMatchOf(ctx, { id: reporter.userId, username: reporter.username }, { skipped: true, partnerId: reportedId });
  if (outcome.suspendedUntil) {
    ctx.log.info({ userId: reportedId, suspendedUntil: outcome.suspendedUntil, by: 'reports' }, 'user suspended by reports');
    await endSuspendedMatch(ctx, reportedId);
  }
  return { report_id: id, status: 'received' as const };
}

/** Suspends the user when enough different users reported them within the window (and no suspension is in force). */
async function suspendIfReportedEnough(ctx: RouletteContext, trx: Transaction<Database>, userId: string): Promise<Date | undefined> {
  const { reportSuspendThreshold, reportWindowHours, suspensionHours } = ctx.safety;
  if (await suspendedUntil(trx, userId)) return undefined;
  if ((await openReporters(trx, userId, reportWindowHours)) < reportSuspendThreshold) return undefined;
  return suspendInLock(trx, userId, suspensionHours, null);
}
