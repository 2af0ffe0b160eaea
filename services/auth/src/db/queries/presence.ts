import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

/** A user whose overall state (online on any gateway, or on none) a change turned, as it now is. */
export interface OnlineChange {
  id: string;
  username: string;
  is_online: boolean;
  last_seen: Date | null;
}

/** Told the users a transaction turned, once it has committed (never for a rolled-back one). */
type OnCommit = (changes: OnlineChange[]) => void;

const noChanges: OnCommit = () => undefined;

/**
 * Records one gateway's view of one user. Runs under the user's row lock, so events of one user
 * are applied one at a time whichever instance handles them; an event older than the row's is
 * dropped (`stale`). Unknown users are not recorded (`unknown_user`). When the user's overall
 * state turned, `onCommit` hears of it after the commit.
 */
export async function applyPresence(
  db: Db,
  event: { userId: string; gatewayId: string; online: boolean; at: Date },
  onCommit: OnCommit = noChanges,
): Promise<'applied' | 'stale' | 'unknown_user'> {
  const { result, changes } = await db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select('id').where('id', '=', event.userId).forUpdate().executeTakeFirst();
    if (!user) return { result: 'unknown_user' as const, changes: [] };
    const written = await trx
      .insertInto('presence')
      .values({ user_id: event.userId, gateway_id: event.gatewayId, online: event.online, changed_at: event.at })
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'gateway_id'])
          .doUpdateSet({ online: (eb) => eb.ref('excluded.online'), changed_at: (eb) => eb.ref('excluded.changed_at') })
          .whereRef('presence.changed_at', '<=', 'excluded.changed_at'),
      )
      .returning('user_id')
      .executeTakeFirst();
    if (!written) return { result: 'stale' as const, changes: [] };
    return { result: 'applied' as const, changes: await syncOnline(trx, [event.userId]) };
  });
  if (changes.length > 0) onCommit(changes);
  return result;
}

/**
 * is_online follows the rows: true while any gateway has the user online; the moment it
 * turns false, last_seen becomes now. Only the users whose is_online turns are written, and returned.
 */
async function syncOnline(trx: Transaction<Database>, userIds: string[]): Promise<OnlineChange[]> {
  if (userIds.length === 0) return [];
  const anyOnline = sql<boolean>`exists (select 1 from presence p where p.user_id = users.id and p.online)`;
  return trx
    .updateTable('users')
    .set({
      is_online: anyOnline,
      // Only turning rows are written: one that was online is going offline now.
      last_seen: sql`case when users.is_online then now() else users.last_seen end`,
    })
    .where('id', 'in', userIds)
    .where(sql<boolean>`users.is_online <> ${anyOnline}`)
    .returning(['id', 'username', 'is_online', 'last_seen'])
    .execute();
}

export function recordHeartbeat(db: Db, gatewayId: string, intervalMs: number) {
  // The database clock, not the gateway's, decides when a gateway has gone silent.
  return db
    .insertInto('gateways')
    .values({ gateway_id: gatewayId, last_heartbeat: sql`now()`, interval_ms: intervalMs })
    .onConflict((oc) =>
      oc.column('gateway_id').doUpdateSet({ last_heartbeat: sql`now()`, interval_ms: intervalMs }),
    )
    .execute();
}

/**
 * Forgets gateways silent for more than 3 intervals (`listeningMs`: how long this instance has
 * been receiving heartbeats), and the presence they recorded (`users`: whose rows went); users left
 * with no gateway go offline, which `onCommit` hears of after the commit. Instances sweeping at once
 * take disjoint gateways (skip locked) and lock users in id order, so they neither repeat work nor
 * deadlock with each other or with events.
 */
export async function sweepDeadGateways(
  db: Db,
  listeningMs: number,
  onCommit: OnCommit = noChanges,
): Promise<{ gateways: string[]; users: string[] }> {
  const { swept, changes } = await db.transaction().execute(async (trx) => {
    const dead = await trx
      .selectFrom('gateways')
      .select('gateway_id')
      .where(sql<boolean>`last_heartbeat < now() - (interval_ms * 3) * interval '1 millisecond'`)
      // Heartbeats sent while no auth instance listened were lost, not missed: judge a gateway
      // only after listening for 3 of its intervals (an auth restart must not expire live gateways).
      .where(sql<boolean>`interval_ms * 3 < ${Math.floor(listeningMs)}::bigint`)
      .forUpdate()
      .skipLocked()
      .execute();
    const gateways = dead.map((g) => g.gateway_id);
    if (gateways.length === 0) return { swept: { gateways, users: [] }, changes: [] };
    const users = await trx
      .selectFrom('users')
      .select('id')
      .where('id', 'in', trx.selectFrom('presence').select('user_id').where('gateway_id', 'in', gateways))
      .orderBy('id')
      .forUpdate()
      .execute();
    await trx.deleteFrom('presence').where('gateway_id', 'in', gateways).execute();
    const userIds = users.map((u) => u.id);
    const turned = await syncOnline(trx, userIds);
    await trx.deleteFrom('gateways').where('gateway_id', 'in', gateways).execute();
    return { swept: { gateways, users: userIds }, changes: turned };
  });
  if (changes.length > 0) onCommit(changes);
  return swept;
}

/** Offline rows only guard against late events; after a while they can go. */
export function deleteOldTombstones(db: Db, olderThanMs: number) {
  return db
    .deleteFrom('presence')
    .where('online', '=', false)
    .where('changed_at', '<', sql<Date>`now() - ${olderThanMs}::float8 * interval '1 millisecond'`)
    .execute();
}
