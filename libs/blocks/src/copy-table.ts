import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { BlockState } from '@chatroulette/contracts';

/**
 * A service's copy of auth's blocks (messages and roulette each keep one in their own database):
 * one row per pair with the highest version seen, so an event applied twice or late changes nothing.
 */
export interface UserBlocksCopyTable {
  blocker_id: string;
  blocked_id: string;
  blocked: boolean;
  version: number;
}

/** For a service's migration (the table is the same in every copy). */
export async function createUserBlocksCopyTable(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('user_blocks')
    .addColumn('blocker_id', 'uuid', (c) => c.notNull())
    .addColumn('blocked_id', 'uuid', (c) => c.notNull())
    .addColumn('blocked', 'boolean', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_blocks_pk', ['blocker_id', 'blocked_id'])
    .execute();
  await sql`create index user_blocks_blocked on user_blocks (blocked_id, blocker_id) where blocked`.execute(db);
}

/** Applies a pair's state unless the copy already has it or a newer one; true when it changed the copy. */
export async function applyBlockState(db: Kysely<any>, s: BlockState): Promise<boolean> {
  const res = await sql`
    insert into user_blocks (blocker_id, blocked_id, blocked, version)
    values (${s.blocker_id}::uuid, ${s.blocked_id}::uuid, ${s.blocked}, ${s.version})
    on conflict (blocker_id, blocked_id) do update set blocked = excluded.blocked, version = excluded.version
    where user_blocks.version < excluded.version`.execute(db);
  return Number(res.numAffectedRows ?? 0) > 0;
}

type Id = Expression<unknown> | RawBuilder<unknown>;

/** True when `a` and `b` are a blocked pair, either way (a SQL predicate on the copy). */
export function blockedPair(a: Id, b: Id): RawBuilder<boolean> {
  return sql<boolean>`exists (
    select 1 from user_blocks ub
    where ub.blocked and ((ub.blocker_id = ${a} and ub.blocked_id = ${b}) or (ub.blocker_id = ${b} and ub.blocked_id = ${a})))`;
}
