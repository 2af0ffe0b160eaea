import { expect } from 'vitest';
import type { OwnNats } from './own-nats.js';
import type { OwnPostgres } from './own-postgres.js';
import { pollUntil } from './wait-until.js';

type Readyz = () => Promise<{ status: number; body: unknown }>;

/** A service's /readyz body when its database and NATS both answer. */
export const readyBody = () => ({
  status: 'ok',
  checks: { database: { status: 'ok', duration_ms: expect.any(Number) }, nats: { status: 'ok', duration_ms: expect.any(Number) } },
});

/**
 * A service's /readyz through an outage of the test's own NATS, then of its own PostgreSQL: 503
 * naming the one that is gone (the other still ok), 200 again once it is back. `whileDatabaseDown`
 * runs the test's own checks during the database outage.
 */
export async function expectReadinessThroughOutages(
  readyz: Readyz,
  servers: { nats: OwnNats; pg: OwnPostgres },
  opts: { whileDatabaseDown?: () => Promise<void> } = {},
): Promise<void> {
  await servers.nats.shutdown();
  const noNats = await pollUntil(readyz, (r) => r.status === 503, 10_000);
  expect(noNats.body).toMatchObject({ status: 'unavailable', error: 'Not ready: nats', checks: { database: { status: 'ok' }, nats: { status: 'failed' } } });
  await servers.nats.restart();
  expect((await pollUntil(readyz, (r) => r.status === 200, 15_000)).status).toBe(200);

  await servers.pg.shutdown();
  const noDb = await pollUntil(readyz, (r) => r.status === 503, 10_000);
  expect(noDb.body).toMatchObject({ status: 'unavailable', error: 'Not ready: database', checks: { database: { status: 'failed' }, nats: { status: 'ok' } } });
  await opts.whileDatabaseDown?.();
  await servers.pg.restart();
  expect((await pollUntil(readyz, (r) => r.status === 200, 15_000)).status).toBe(200);
}
