import { sleep } from '../clock.js';
import type { LatencySummary } from '../histogram.js';
import type { BenchChat } from '../fixtures.js';
import { Posters } from '../load/posters.js';
import { WorkerPool } from '../load/worker-pool.js';
import { countsPer, type CountsPerUnit } from '../load-counters.js';
import { cpuMeter, pidsNamed, round } from '../proc.js';
import type { BenchOptions } from '../options.js';
import type { Stack } from '../services.js';
import { drain, log } from './fanout.js';

export interface E2eStep {
  rate: number;
  sent: number;
  created: number;
  statuses: Record<string, number>;
  skipped: number;
  received: number;
  achievedRate: number;
  latency: LatencySummary;
  httpLatency: LatencySummary;
  cpu: Record<string, number>;
  pass: boolean;
}

export interface E2eResult {
  chats: number;
  steps: E2eStep[];
  best: E2eStep | null;
  limit: string;
  /** PostgreSQL commits and NATS messages and bytes per message created, over the whole scenario. */
  perMessage: CountsPerUnit | null;
}

const P99_BOUND_MS = 50;

function stepLimit(step: E2eStep, r: { sent: number; ok: number; skipped: number; statuses: Record<string, number> }, received: number, p99: number): string {
  const rate = step.rate;
  if (r.skipped > 0 || r.ok < r.sent * 0.99) {
    return `at ${rate} msg/s: ${r.ok}/${r.sent} posts created, ${r.skipped} not sent (512 in flight), statuses ${JSON.stringify(r.statuses)}`;
  }
  if (received < r.ok * 0.99) return `at ${rate} msg/s: ${received}/${r.ok} messages reached the socket`;
  if (p99 >= P99_BOUND_MS) return `p99 ${p99.toFixed(1)} ms at ${rate} msg/s (gw ${step.cpu.gateway}%, messages ${step.cpu.messages}%, postgres ${step.cpu.postgres}%, nats ${step.cpu.nats}% CPU)`;
  return `posters could not keep ${rate} msg/s`;
}

/**
 * End to end: one participant of each chat posts through the gateway's REST at a fixed rate; the
 * other participant's socket receives new_message. Latency from before the POST to the frame.
 */
export async function runE2e(opts: BenchOptions, stack: Stack, chats: BenchChat[]): Promise<E2eResult> {
  const port = stack.ports.gateway;
  const pool = await WorkerPool.start(opts.workers, chats.length + 1024);
  const posters = Posters.start(2);
  const result: E2eResult = { chats: chats.length, steps: [], best: null, limit: '', perMessage: null };
  try {
    const open = await pool.open({
      host: '127.0.0.1',
      port,
      protocol: 'ws',
      paths: chats.map((c) => `/api/v1/ws?token=${c.users[1]!.token}&chat_id=${c.id}`),
    });
    if (open.failed) {
      result.limit = `${open.failed} sockets failed: ${JSON.stringify(open.errors)}`;
      return result;
    }
    await posters.setup(stack.base, chats.map((c) => ({ id: c.id, token: c.users[0]!.token })), 32);
    const countsBefore = await stack.counts();
    let created = (await posters.run(100, 1000)).ok; // warm-up
    await sleep(300);
    const rates = [...opts.e2eRates];
    for (let i = 0; i < rates.length; i++) {
      const rate = rates[i]!;
      await pool.reset();
      const pids: Record<string, number | number[]> = {
        gateway: stack.gateways.map((g) => g.pid),
        messages: stack.pids('messages'),
        auth: stack.pids('auth'),
        // The servers on the same two cores: every PostgreSQL process (a backend per connection) and nats-server.
        postgres: pidsNamed('postgres'),
        nats: pidsNamed('nats-server'),
        ...Object.fromEntries(pool.pids.map((p, i) => [`w${i}`, p])),
        ...Object.fromEntries(posters.pids.map((p, i) => [`p${i}`, p])),
      };
      const meter = cpuMeter(pids);
      const r = await posters.run(rate, opts.e2eStepMs);
      created += r.ok;
      const rep = await drain(pool, r.ok);
      const cpu = meter.stop();
      const gen = Object.entries(cpu.ms).filter(([k]) => /^[wp]\d/.test(k)).reduce((a, [, v]) => a + v, 0);
      const latency = rep.hist.summary();
      const step: E2eStep = {
        rate,
        sent: r.sent,
        created: r.ok,
        statuses: r.statuses,
        skipped: r.skipped,
        received: rep.stamped,
        achievedRate: Math.round(rep.stamped / (r.ms / 1000)),
        latency,
        httpLatency: r.http.summary(),
        cpu: {
          gateway: cpu.pct.gateway!,
          messages: cpu.pct.messages!,
          auth: cpu.pct.auth!,
          postgres: cpu.pct.postgres!,
          nats: cpu.pct.nats!,
          generator: round((gen / cpu.wallMs) * 100, 1),
        },
        pass:
          r.skipped === 0 &&
          r.ok >= r.sent * 0.99 &&
          r.sent >= Math.floor(rate * (opts.e2eStepMs / 1000) * 0.95) - 1 &&
          rep.stamped >= r.ok * 0.99 &&
          latency.p99Ms < P99_BOUND_MS,
      };
      result.steps.push(step);
      log(
        `  e2e ${rate} msg/s: created ${r.ok}/${r.sent} (skipped ${r.skipped}) received ${rep.stamped} (${rep.open}/${chats.length} open${Object.keys(rep.closed).length ? `, closes ${JSON.stringify(rep.closed)}` : ""}) p50 ${latency.p50Ms.toFixed(2)} p99 ${latency.p99Ms.toFixed(2)} p999 ${latency.p999Ms.toFixed(2)} ms; gw ${step.cpu.gateway}% msg ${step.cpu.messages}% pg ${step.cpu.postgres}% nats ${step.cpu.nats}% gen ${step.cpu.generator}%${step.pass ? '' : ' FAIL'} ${JSON.stringify(r.statuses)}`,
      );
      if (!step.pass) {
        result.limit = stepLimit(step, r, rep.stamped, latency.p99Ms);
        // Even the first rate failed: probe lower rates, lowest first, to find what is sustained.
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
    result.perMessage = await countsPer(created, countsBefore, () => stack.counts());
    log(`  e2e per message (${created}): ${result.perMessage.pgCommits} PostgreSQL commits${result.perMessage.nats ? `, NATS ${result.perMessage.nats.msgsIn} msgs in / ${result.perMessage.nats.msgsOut} out, ${result.perMessage.nats.bytesIn} B in / ${result.perMessage.nats.bytesOut} B out (every node, replication included)` : ''}`);
    return result;
  } finally {
    await posters.stop();
    await pool.stop();
  }
}
