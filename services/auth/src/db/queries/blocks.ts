import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

const stateColumns = ['blocker_id', 'blocked_id', 'blocked', 'version'] as const;

/**
 * Blocks (or unblocks) a pair; the new state when it changed, undefined when it already was so (a
 * repeat raises no version and publishes nothing). The row lock orders two changes of one pair.
 */
export async function setBlocked(db: Db, blockerId: string, blockedId: string, blocked: boolean) {
  if (!blocked) {
    return db
      .updateTable('user_blocks')
      .set({ blocked: false, version: sql`version + 1`, changed_at: sql`now()` })
      .where('blocker_id', '=', blockerId)
      .where('blocked_id', '=', blockedId)
      .where('blocked', '=', true)
      .returning(stateColumns)
      .executeTakeFirst();
  }
  return db
    .insertInto('user_blocks')
    .values({ blocker_id: blockerId, blocked_id: blockedId, blocked: true, version: 1 })
    .onConflict((oc) =>
      oc
        .columns(['blocker_id', 'blocked_id'])
        .doUpdateSet({ blocked: true, version: sql`user_blocks.version + 1`, blocked_at: sql`now()`, changed_at: sql`now()` })
        .where('user_blocks.blocked', '=', false),
    )
    .returning(stateColumns)
    .executeTakeFirst();
}

export async function blockState(db: Db, blockerId: string, blockedId: string) {
  return db
    .selectFrom('user_blocks')
    .select(stateColumns)
    .where('blocker_id', '=', blockerId)
    .where('blocked_id', '=', blockedId)
    .executeTakeFirst();
}

/** The users a user blocks, the latest block first (GET /users/blocks). */
export async function blockedBy(db: Db, blockerId: string) {
  return db
    .selectFrom('user_blocks as b')
    .innerJoin('users as u', 'u.id', 'b.blocked_id')
    .select(['b.blocked_id as user_id', 'u.username', 'b.blocked_at'])
    .where('b.blocker_id', '=', blockerId)
    .where('b.blocked', '=', true)
    .orderBy('b.blocked_at', 'desc')
    .orderBy('b.blocked_id')
    .execute();
}

/** Every pair a user is in, either way, with its state and version (auth.blocks.list). */
export async function pairsOf(db: Db, userId: string) {
  return db
    .selectFrom('user_blocks')
    .select(stateColumns)
    .where((eb) => eb.or([eb('blocker_id', '=', userId), eb('blocked_id', '=', userId)]))
    .execute();
}

/**
 * Pairs whose latest change is not published yet (those given, or the oldest `limit`), locked so
 * that no other instance publishes them at the same time, with the blocker's username.
 */
export async function lockUnpublished(db: Db, opts: { pairs?: { blocker_id: string; blocked_id: string }[]; limit: number }) {
  let q = db
    .selectFrom('user_blocks as b')
    .innerJoin('users as u', 'u.id', 'b.blocker_id')
    .select(['b.blocker_id', 'b.blocked_id', 'b.blocked', 'b.version', 'b.changed_at', 'u.username as blocker_username'])
    .where(sql<boolean>`b.published_version < b.version`)
    .orderBy('b.changed_at')
    .limit(opts.limit)
    .forUpdate('b')
    .skipLocked();
  if (opts.pairs) {
    if (opts.pairs.length === 0) return [];
    const pairs = opts.pairs;
    q = q.where((eb) => eb.or(pairs.map((p) => eb.and([eb('b.blocker_id', '=', p.blocker_id), eb('b.blocked_id', '=', p.blocked_id)]))));
  }
  return q.execute();
}

export async function markPublished(db: Db, pair: { blocker_id: string; blocked_id: string; version: number }): Promise<void> {
  await db
    .updateTable('user_blocks')
    .set({ published_version: pair.version })
    .where('blocker_id', '=', pair.blocker_id)
    .where('blocked_id', '=', pair.blocked_id)
    .where('published_version', '<', pair.version)
    .execute();
}
