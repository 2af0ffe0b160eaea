import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, ReportsTable, ReportStatus } from '../schema.js';

type Db = Kysely<Database>;

export async function findReport(db: Db, chatId: string, reporterId: string) {
  return db.selectFrom('reports').select('id').where('chat_id', '=', chatId).where('reporter_id', '=', reporterId).executeTakeFirst();
}

/** Stores a report; false when the reporter already reported this chat (the unique constraint decides a race). */
export async function insertReport(db: Db, report: Insertable<ReportsTable>): Promise<boolean> {
  const row = await db
    .insertInto('reports')
    .values(report)
    .onConflict((oc) => oc.columns(['chat_id', 'reporter_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** How many different users reported `userId` within the window, in reports no moderator has acted on yet. */
export async function openReporters(db: Db, userId: string, windowHours: number): Promise<number> {
  const row = await db
    .selectFrom('reports')
    .select(sql<number>`count(distinct reporter_id)::int`.as('n'))
    .where('reported_id', '=', userId)
    .where('status', '=', 'open')
    .where(sql<boolean>`created_at > now() - ${windowHours} * interval '1 hour'`)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Reports in a status, the newest first. */
export async function reportsIn(db: Db, status: ReportStatus, limit: number) {
  return db.selectFrom('reports').selectAll().where('status', '=', status).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
}

/** A moderator acted on the user: their open reports are resolved. */
export async function resolveReportsOn(db: Db, userId: string, moderatorId: string): Promise<void> {
  await db
    .updateTable('reports')
    .set({ status: 'resolved', resolved_at: sql<Date>`now()`, resolved_by: moderatorId })
    .where('reported_id', '=', userId)
    .where('status', '=', 'open')
    .execute();
}
