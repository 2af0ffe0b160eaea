import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { createDb, dropDatabase, migrateToLatest } from '@chatroulette/db';
import { testScope } from '@chatroulette/testing';
import { migrations } from '../src/db/migrations/index.js';
import type { Database } from '../src/db/schema.js';
import { applyPresence, deleteOldTombstones, recordHeartbeat, sweepDeadGateways } from '../src/db/queries/presence.js';

const scope = testScope('auth-presence-q');
const log = pino({ level: 'silent' });
const cfg = { serverUrl: scope.databaseUrl, database: scope.database('auth'), poolSize: 4 };
let db: Kysely<Database>;

beforeAll(async () => {
  db = await createDb<Database>(cfg, log);
  await migrateToLatest(db, migrations, log);
});
afterAll(async () => {
  await db?.destroy();
  await dropDatabase(cfg.serverUrl, cfg.database);
});

let n = 0;
async function user() {
  n += 1;
  const name = `q${n}`;
  return (await db.insertInto('users').values({ username: name, username_key: name, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()).id;
}
const state = (id: string) => db.selectFrom('users').select(['is_online', 'last_seen']).where('id', '=', id).executeTakeFirstOrThrow();

describe('presence queries', () => {
  it('does not expire a silent gateway before the instance has listened for 3 of its intervals', async () => {
    const id = await user();
    await recordHeartbeat(db, 'gw-restart', 50);
    expect(await applyPresence(db, { userId: id, gatewayId: 'gw-restart', online: true, at: new Date() })).toBe('applied');
    await new Promise((r) => setTimeout(r, 200));
    expect(await sweepDeadGateways(db, 100)).toEqual({ gateways: [], users: [] });
    expect((await state(id)).is_online).toBe(true);
    expect(await sweepDeadGateways(db, 10_000_000_000)).toEqual({ gateways: ['gw-restart'], users: [id] });
    expect(await state(id)).toMatchObject({ is_online: false, last_seen: expect.any(Date) });
  });

  it('two sweeps at once expire each gateway once and do not deadlock with events', async () => {
    const ids = await Promise.all([user(), user(), user()]);
    for (const g of ['gw-x', 'gw-y']) await recordHeartbeat(db, g, 10);
    for (const id of ids) {
      await applyPresence(db, { userId: id, gatewayId: 'gw-x', online: true, at: new Date() });
      await applyPresence(db, { userId: id, gatewayId: 'gw-y', online: true, at: new Date() });
    }
    await new Promise((r) => setTimeout(r, 100));
    const [a, b] = await Promise.all([
      sweepDeadGateways(db, 1_000_000),
      sweepDeadGateways(db, 1_000_000),
      ...ids.map((id) => applyPresence(db, { userId: id, gatewayId: 'gw-z', online: false, at: new Date() })),
    ]);
    const swept = [...(a as { gateways: string[] }).gateways, ...(b as { gateways: string[] }).gateways].sort();
    expect(swept).toEqual(['gw-x', 'gw-y']);
    for (const id of ids) expect((await state(id)).is_online).toBe(false);
  });

  it('ignores unknown users and deletes old offline rows only', async () => {
    expect(await applyPresence(db, { userId: '00000000-0000-4000-8000-000000000000', gatewayId: 'g', online: true, at: new Date() })).toBe('unknown_user');
    const id = await user();
    await applyPresence(db, { userId: id, gatewayId: 'old-off', online: false, at: new Date(Date.now() - 3_600_000) });
    await applyPresence(db, { userId: id, gatewayId: 'old-on', online: true, at: new Date(Date.now() - 3_600_000) });
    await deleteOldTombstones(db, 600_000);
    const rows = await db.selectFrom('presence').select('gateway_id').where('user_id', '=', id).execute();
    expect(rows.map((r) => r.gateway_id)).toEqual(['old-on']);
  });
});
