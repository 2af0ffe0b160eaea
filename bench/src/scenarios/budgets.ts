import { connect } from 'nats';
import { pino } from 'pino';
import { createSubjects } from '@chatroulette/contracts';
import { createBudgets, createBudgetsTable, kvBudgetStore, pgBudgetStore, type Budget, type BudgetFactory } from '@chatroulette/budgets';
import { createDb, poolOf } from '@chatroulette/db';
import { Histogram, type LatencySummary } from '../histogram.js';
import { log } from './fanout.js';

/** One store under one load: consumes per second and each consume's latency. */
export interface BudgetsStep {
  store: 'postgres' | 'nats-kv';
  /** allowed: spread over many keys, each within its budget; refused: one key past its budget. */
  kind: 'allowed' | 'refused';
  concurrency: number;
  consumesPerSec: number;
  latency: LatencySummary;
}

export interface BudgetsResult {
  steps: BudgetsStep[];
}

const silent = pino({ level: 'silent' });

/**
 * The cost of a budget per request: consumes against each shared store, one at a time (the latency
 * a request pays) and 32 at once (what one instance can push), for keys within their budget (a
 * write each) and for a key past it (PostgreSQL still writes; the KV store only reads).
 */
export async function runBudgets(o: { natsUrl: string; databaseUrl: string; namespace: string; count: number }): Promise<BudgetsResult> {
  const db = await createDb<unknown>({ serverUrl: o.databaseUrl, database: `${o.namespace}_budgets`, poolSize: 10 }, silent);
  const nc = await connect({ servers: o.natsUrl.split(',') });
  const bucket = createSubjects(o.namespace).budgetsBucket;
  const steps: BudgetsStep[] = [];
  try {
    await createBudgetsTable(db as never);
    const stores: [BudgetsStep['store'], BudgetFactory][] = [
      ['postgres', createBudgets({ store: pgBudgetStore(poolOf(db)), log: silent })],
      ['nats-kv', createBudgets({ store: await kvBudgetStore(nc, { bucket, maxAgeSeconds: 300 }), log: silent })],
    ];
    for (const [store, budgets] of stores) {
      const roomy = budgets('bench-allowed', { points: 1_000_000, perSeconds: 60 });
      const tight = budgets('bench-refused', { points: 1, perSeconds: 300 });
      for (const concurrency of [1, 32]) {
        steps.push(await measure(store, 'allowed', roomy, concurrency, o.count, (i) => `user-${i % 1000}`));
        // Spent (or a new window begun and spent) right before: the key stays past its budget throughout.
        await tight.consume('hot');
        steps.push(await measure(store, 'refused', tight, concurrency, o.count, () => 'hot'));
      }
    }
  } finally {
    await (await nc.jetstreamManager()).streams.delete(`KV_${bucket}`).catch(() => undefined);
    await nc.close();
    await db.destroy();
  }
  return { steps };
}

async function measure(store: BudgetsStep['store'], kind: BudgetsStep['kind'], budget: Budget, concurrency: number, count: number, keyOf: (i: number) => string): Promise<BudgetsStep> {
  const h = new Histogram();
  let next = 0;
  let wrong = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        const spent = await budget.consume(keyOf(i));
        h.record((performance.now() - t) * 1000);
        if (spent.ok !== (kind === 'allowed')) wrong++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (wrong) throw new Error(`budgets ${store}/${kind}: ${wrong} consumes answered the wrong way`);
  const step = { store, kind, concurrency, consumesPerSec: Math.round(count / seconds), latency: h.summary() };
  log(`  budgets ${store} ${kind} x${concurrency}: ${step.consumesPerSec} consumes/s, p50 ${step.latency.p50Ms.toFixed(2)} ms, p99 ${step.latency.p99Ms.toFixed(2)} ms`);
  return step;
}
