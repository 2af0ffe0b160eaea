import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import { createDb } from '@chatroulette/db';
import { testScope } from '@chatroulette/testing';
import { applyBlockState, blockedPair, createUserBlocksCopyTable } from './copy-table.js';

const scope = testScope('blocks-copy');
let db: Kysely<any>;

beforeAll(async () => {
  db = await createDb<any>({ serverUrl: scope.databaseUrl, database: scope.database('copy'), poolSize: 2 }, pino({ level: 'silent' }));
  await createUserBlocksCopyTable(db);
});
afterAll(() => db?.destroy());

const isBlocked = async (a: string, b: string) =>
  (await sql<{ v: boolean }>`select ${blockedPair(sql`${a}::uuid`, sql`${b}::uuid`)} as v`.execute(db)).rows[0]!.v;

describe('a copy of the blocks', () => {
  it('keeps the highest version of each pair, whatever order and however often the states come', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const state = (blocked: boolean, version: number) => ({ blocker_id: a, blocked_id: b, blocked, version });
    expect(await applyBlockState(db, state(true, 1))).toBe(true);
    expect(await applyBlockState(db, state(true, 1))).toBe(false);
    expect(await isBlocked(a, b)).toBe(true);
    // Either way round, and nobody else.
    expect(await isBlocked(b, a)).toBe(true);
    expect(await isBlocked(a, c)).toBe(false);
    // The unblock (2) and a re-block (3) arriving in the wrong order end blocked; the late unblock changes nothing.
    expect(await applyBlockState(db, state(true, 3))).toBe(true);
    expect(await applyBlockState(db, state(false, 2))).toBe(false);
    expect(await isBlocked(a, b)).toBe(true);
    expect(await applyBlockState(db, state(false, 4))).toBe(true);
    expect(await isBlocked(b, a)).toBe(false);
  });
});
