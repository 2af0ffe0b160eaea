import { sleep } from '../clock.js';
import type { LatencySummary } from '../histogram.js';
import type { Posters } from '../load/posters.js';
import type { WorkerPool } from '../load/worker-pool.js';
import { cpuMeter, round } from '../proc.js';
import type { BenchOptions } from '../options.js';
import { drain, log } from './fanout.js';

/** The three ways a message goes from one participant to the other's socket. */
export type E2ePath = 'rest' | 'socket' | 'monolith';

export interface E2eStep {
  rate: number;
  sent: number;
  created: number;
  /** HTTP statuses, or `ack` and error frames' statuses on the socket path, or connection errors. */
  statuses: Record<string, number>;
  skipped: number;
  received: number;
  achievedRate: number;
  latency: LatencySummary;
  /** Send to its answer (the 201, or the ack). */
  answerLatency: LatencySummary;
  /** % of one core over the step, per process kind (`generator`: the posters and socket workers). */
  cpu: Record<string, number>;
  /** CPU ms per message created, per process kind. */
  cpuMsPerMessage: Record<string, number>;
  /** The poster processes' share of the generator's, per message. */
  posterCpuMsPerMessage: number;
  /** Sockets that closed: receiving ones since they opened (the two gateway paths share them), the sender's since its setup. */
  closed: Record<string, number>;
  pass: boolean;
}

export interface E2ePathResult {
  path: E2ePath;
  steps: E2eStep[];
  best: E2eStep | null;
  limit: string;
  /** Messages created over every step, warm-up included. */
  created: number;
}

export const P99_BOUND_MS = 50;

export interface PathUnderTest {
  path: E2ePath;
  receivers: WorkerPool;
  posters: Posters;
  chats: number;
  /** The processes measured: each kind's pids (the generator's are added here). */
  pids: () => Record<string, number | number[]>;
}

function stepLimit(s: E2eStep): string {
  const at = `at ${s.rate} msg/s`;
  if (s.skipped > 0 || s.created < s.sent * 0.99) return `${at}: ${s.created}/${s.sent} created, ${s.skipped} not sent (512 in flight), answers ${JSON.stringify(s.statuses)}`;
  if (s.received < s.created * 0.99) return `${at}: ${s.received}/${s.created} reached the socket`;
  if (Object.keys(s.closed).length) return `${at}: sockets closed ${JSON.stringify(s.closed)}`;
  const cpu = Object.entries(s.cpu).map(([k, v]) => `${k} ${v}%`).join(', ');
  if (s.latency.p99Ms >= P99_BOUND_MS) return `p99 ${s.latency.p99Ms.toFixed(1)} ms ${at} (${cpu} CPU)`;
  return `the generator could not keep ${s.rate} msg/s (${cpu} CPU)`;
}

/**
 * One path's stepped rates: a warm-up, then each rate for e2eStepMs until one fails; when the first
 * fails, the lower probe rates, lowest first, to find what is sustained.
 */
export async function runSteps(opts: BenchOptions, p: PathUnderTest): Promise<E2ePathResult> {
  const result: E2ePathResult = { path: p.path, steps: [], best: null, limit: '', created: 0 };
  result.created += (await p.posters.run(100, opts.quick ? 300 : 1000)).ok; // warm-up
  await sleep(300);
  const rates = [...opts.e2eRates];
  for (let i = 0; i < rates.length; i++) {
    const rate = rates[i]!;
    await p.receivers.reset();
    const generator = [...p.receivers.pids, ...p.posters.pids];
    // The posters alone as well (inside `generator`): what sending costs the generator, apart from receiving.
    const meter = cpuMeter({ ...p.pids(), generator, posters: p.posters.pids });
    const r = await p.posters.run(rate, opts.e2eStepMs);
    result.created += r.ok;
    const rep = await drain(p.receivers, r.ok);
    const cpu = meter.stop();
    const postersMs = cpu.ms.posters!;
    delete cpu.ms.posters;
    delete cpu.pct.posters;
    const latency = rep.hist.summary();
    const closed = { ...rep.closed, ...Object.fromEntries(Object.entries(r.closed).map(([k, v]) => [`sender ${k}`, v])) };
    const step: E2eStep = {
      rate,
      sent: r.sent,
      created: r.ok,
      statuses: r.statuses,
      skipped: r.skipped,
      received: rep.stamped,
      achievedRate: Math.round(rep.stamped / (r.ms / 1000)),
      latency,
      answerLatency: r.http.summary(),
      cpu: cpu.pct,
      cpuMsPerMessage: Object.fromEntries(Object.entries(cpu.ms).map(([k, v]) => [k, r.ok ? round(v / r.ok, 3) : 0])),
      posterCpuMsPerMessage: r.ok ? round(postersMs / r.ok, 3) : 0,
      closed,
      pass:
        r.skipped === 0 &&
        r.ok >= r.sent * 0.99 &&
        r.sent >= Math.floor(rate * (opts.e2eStepMs / 1000) * 0.95) - 1 &&
        rep.stamped >= r.ok * 0.99 &&
        rep.open === p.chats &&
        Object.keys(r.closed).length === 0 &&
        latency.p99Ms < P99_BOUND_MS,
    };
    result.steps.push(step);
    const cpuLine = Object.entries(step.cpu).map(([k, v]) => `${k} ${v}% ${step.cpuMsPerMessage[k]} ms/msg`).join(', ');
    log(
      `  e2e ${p.path} ${rate} msg/s: created ${r.ok}/${r.sent} (skipped ${r.skipped}) received ${rep.stamped} (${rep.open}/${p.chats} open${Object.keys(closed).length ? `, closes ${JSON.stringify(closed)}` : ''}) ` +
        `p50 ${latency.p50Ms.toFixed(2)} p99 ${latency.p99Ms.toFixed(2)} p999 ${latency.p999Ms.toFixed(2)} ms; ${cpuLine} (posters ${step.posterCpuMsPerMessage} ms/msg)${step.pass ? '' : ' FAIL'} ${JSON.stringify(r.statuses)}`,
    );
    if (!step.pass) {
      result.limit = stepLimit(step);
      if (i === 0 && !result.best && opts.e2eProbes.length) {
        rates.splice(1, rates.length, ...opts.e2eProbes);
        await sleep(5000); // let the backlog of the failed rate clear
        continue;
      }
      break;
    }
    if (!result.best || step.achievedRate > result.best.achievedRate) result.best = step;
    await sleep(500);
  }
  if (!result.limit) result.limit = 'top of the rate list';
  return result;
}
