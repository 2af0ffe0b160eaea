import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { pino } from 'pino';
import { createSubjects } from '@chatroulette/contracts';
import { sleep, testScope } from '@chatroulette/testing';
import { createBudgets, type BudgetFactory } from './budget.js';
import { casSafeReplicas, kvBudgetStore, kvKey } from './kv-store.js';

const log = pino({ level: 'silent' });
const scope = testScope('budgets-kv');
const bucket = createSubjects(scope.namespace).budgetsBucket;
let a: NatsConnection;
let b: NatsConnection;
let onA: BudgetFactory;
let onB: BudgetFactory;

beforeAll(async () => {
  [a, b] = await Promise.all([connect({ servers: scope.natsUrl }), connect({ servers: scope.natsUrl })]);
  // Two instances: their own connections and stores, one bucket.
  onA = createBudgets({ store: await kvBudgetStore(a, { bucket, maxAgeSeconds: 120 }), log });
  onB = createBudgets({ store: await kvBudgetStore(b, { bucket, maxAgeSeconds: 120 }), log });
});
afterAll(async () => {
  await (await a?.jetstreamManager())?.streams.delete(`KV_${bucket}`).catch(() => undefined);
  await Promise.all([a?.close(), b?.close()]);
});

const count = (answers: { ok: boolean }[]) => answers.filter((x) => x.ok).length;

describe('budgets on a JetStream KV bucket', () => {
  it('allows exactly the budget to many parallel consumes from two instances', async () => {
    const [x, y] = [onA('parallel', { points: 20, perSeconds: 60 }), onB('parallel', { points: 20, perSeconds: 60 })];
    const answers = await Promise.all(Array.from({ length: 80 }, (_, i) => (i % 2 ? x : y).consume('user-1')));
    expect(count(answers)).toBe(20);
    const refused = answers.find((s) => !s.ok);
    expect(refused).toMatchObject({ ok: false });
    expect(refused && !refused.ok && refused.retryAfterMs).toBeGreaterThan(55_000);
    // Another key has a budget of its own.
    expect(await x.consume('user-2')).toEqual({ ok: true });
  });

  it('with leases, two instances together still allow at most the budget, with one store write per lease', async () => {
    const rule = { points: 100, perSeconds: 60, lease: 10 };
    const [x, y] = [onA('leased', rule), onB('leased', rule)];
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 ? x : y).consume('address-1')));
    // Each instance leases whole tens until the window's 100 are gone: exactly 100 between them.
    expect(count(answers)).toBe(100);
    const entry = await (await a.jetstream().views.kv(bucket)).get(kvKey('leased:address-1'));
    // The store counted whole leases: 10 of them, and at most one refused renewal per instance.
    const stored = JSON.parse(new TextDecoder().decode(entry!.value)) as { points: number };
    expect(stored.points).toBeGreaterThanOrEqual(100);
    expect(stored.points).toBeLessThanOrEqual(120);
  });

  it('gives the burst at once, then the rate per window', async () => {
    const x = onA('bursty', { points: 2, perSeconds: 1, burst: 5 });
    const y = onB('bursty', { points: 2, perSeconds: 1, burst: 5 });
    expect(count(await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? x : y).consume('k'))))).toBe(5);
    await sleep(1100);
    // The burst window (3 s) is spent; the sustained window gives 2 again.
    expect(count(await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? x : y).consume('k'))))).toBe(2);
  });

  it('opens a new window when the last one ended', async () => {
    const x = onA('window', { points: 3, perSeconds: 1 });
    expect(count(await Promise.all(Array.from({ length: 5 }, () => x.consume('k'))))).toBe(3);
    await sleep(1100);
    expect(count(await Promise.all(Array.from({ length: 5 }, () => x.consume('k'))))).toBe(3);
  });

  it('takes keys with any characters (IPv6 addresses, the prefix colon)', async () => {
    expect(kvKey('upgrades:2001:db8::/64')).toMatch(/^[A-Za-z0-9_=-]+$/);
    const x = onA('addresses', { points: 1, perSeconds: 60 });
    expect(await x.consume('2001:db8::1/64')).toEqual({ ok: true });
    expect((await x.consume('2001:db8::1/64')).ok).toBe(false);
    expect(await x.consume('2001:db8::2/64')).toEqual({ ok: true });
  });

  it('refuses a window longer than the bucket keeps', () => {
    expect(() => onA('too-long', { points: 1, perSeconds: 600 })).toThrow(/longer than/);
  });

  it('falls back to this instance when NATS is gone: it answers, logs and counts', async () => {
    const nc = await connect({ servers: scope.natsUrl });
    const errors: string[] = [];
    const budgets = createBudgets({ store: await kvBudgetStore(nc, { bucket, maxAgeSeconds: 120 }), log, hooks: { storeError: (n) => errors.push(n) } });
    const x = budgets('fallback', { points: 2, perSeconds: 60 });
    await nc.close();
    expect(count(await Promise.all(Array.from({ length: 4 }, () => x.consume('k'))))).toBe(2);
    expect(errors.length).toBeGreaterThanOrEqual(4);
    expect(new Set(errors)).toEqual(new Set(['fallback']));
  });
});

describe('casSafeReplicas', () => {
  it('keeps one copy on a nats-server that does not serialize conditional writes on replicated streams (before 2.9.21)', () => {
    expect(casSafeReplicas('2.9.10', 3)).toBe(1);
    expect(casSafeReplicas('2.9.20', 3)).toBe(1);
    expect(casSafeReplicas(undefined, 3)).toBe(1);
    expect(casSafeReplicas('2.9.21', 3)).toBe(3);
    expect(casSafeReplicas('2.10.0', 3)).toBe(3);
    expect(casSafeReplicas('2.12.1', 3)).toBe(3);
    expect(casSafeReplicas('2.9.10', 1)).toBe(1);
  });
});
