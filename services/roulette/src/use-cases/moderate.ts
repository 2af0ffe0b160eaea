import { notFound } from '@chatroulette/errors';
import { toIso } from '@chatroulette/contracts';
import type { ReportStatus } from '../db/schema.js';
import { recordModeration } from '../db/queries/moderation-actions.js';
import { reportsIn, resolveReportsOn } from '../db/queries/reports.js';
import { lift } from '../db/queries/suspensions.js';
import { fetchUsers } from '../clients/auth-users.js';
import { REPORTS_PAGE } from '../domain/moderation.js';
import type { RouletteContext } from '../context.js';
import { withMatchingLock } from './matching-lock.js';
import { endSuspendedMatch, suspendInLock } from './suspend.js';

export interface Moderator {
  userId: string;
  username: string;
}

/** Reports in a status with their evidence, the newest first (GET /moderation/reports). */
export async function listReports(ctx: RouletteContext, moderator: Moderator, status: ReportStatus) {
  const rows = await reportsIn(ctx.db, status, REPORTS_PAGE);
  ctx.log.info({ moderatorId: moderator.userId, moderator: moderator.username, status, reports: rows.length }, 'moderation: reports listed');
  return {
    reports: rows.map((r) => ({
      id: r.id,
      reporter_id: r.reporter_id,
      reported_id: r.reported_id,
      chat_id: r.chat_id,
      reason: r.reason,
      details: r.details,
      created_at: toIso(r.created_at),
      status: r.status,
      messages: r.messages,
    })),
  };
}

/**
 * A moderator suspends a user for `hours` (replacing a suspension in force): out of the queue and
 * out of a live match; the user's open reports are resolved. Recorded with who did it, and logged.
 */
export async function suspendUser(ctx: RouletteContext, moderator: Moderator, userId: string, hours: number) {
  const user = (await fetchUsers(ctx.nc, ctx.subjects, [userId])).get(userId);
  if (!user) throw notFound('User not found');
  const until = await withMatchingLock(ctx, async (trx) => {
    const end = await suspendInLock(trx, userId, hours, moderator.userId);
    await resolveReportsOn(trx, userId, moderator.userId);
    await recordModeration(trx, { moderator_id: moderator.userId, moderator_username: moderator.username, action: 'suspend', user_id: userId, suspended_until: end });
    return end;
  });
  ctx.log.info({ moderatorId: moderator.userId, moderator: moderator.username, action: 'suspend', userId, hours, suspendedUntil: until }, 'moderation: user suspended');
  await endSuspendedMatch(ctx, userId, user.username);
  return { user_id: userId, suspended_until: toIso(until) };
}

/** A moderator lifts a user's suspension (none in force: nothing changes); the user's open reports are resolved. */
export async function liftSuspension(ctx: RouletteContext, moderator: Moderator, userId: string) {
  await ctx.db.transaction().execute(async (trx) => {
    await lift(trx, userId);
    await resolveReportsOn(trx, userId, moderator.userId);
    await recordModeration(trx, { moderator_id: moderator.userId, moderator_username: moderator.username, action: 'lift', user_id: userId, suspended_until: null });
  });
  ctx.log.info({ moderatorId: moderator.userId, moderator: moderator.username, action: 'lift', userId }, 'moderation: suspension lifted');
  return { user_id: userId, suspended_until: null };
}
