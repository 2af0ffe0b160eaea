import { sleep } from '../clock.js';
import type { LatencySummary } from '../histogram.js';
import { Injector } from '../load/injector.js';
import { WorkerPool } from '../load/worker-pool.js';
import { cpuMeter, round } from '../proc.js';
import type { BenchOptions } from '../options.js';

/** A server that fans chat events out to sockets: the gateway or a peer. */
export interface FanoutTarget {
  name: 'gateway' | 'uws' | 'socketio';
  /** The server's process, or its processes (the gateway with --gateway-processes): CPU is summed over them. */
  pid: number | number[];
  port: number;
  protocol: 'ws' | 'eio';
  /** The socket URL path for one socket of a chat (with the user's token where it needs one). */
  socketPath(chatId: string, token: string | undefined): string;
}

/** Chats and who has sockets on them; every chat has the same number of sockets (the fan-out). */
export interface FanoutShape {
  name: 'pairs' | 'room';
  chats: { id: string; authorId: string; tokens: (string | undefined)[] }[];
}

export interface StepResult {
  targetFps: number;
  publishRate: number;
  sent: number;
  expected: number;
  received: number;
  deliveredFps: number;
  latency: LatencySummary;
  /** % of one core over the step (injection plus drain). */
  cpu: { server: number; generator: number; injector: number; workers: number };
  /** Server CPU, in % of one core, per 10,000 delivered frames/s. */
  serverCpuPer10k: number;
  injectorKeptUp: boolean;
  closed: Record<string, number>;
  pass: boolean;
  /** Set when this is a retry: the attempt that failed first. */
  failedFirst?: StepResult;
}

export interface FanoutResult {
  target: FanoutTarget['name'];
  shape: FanoutShape['name'];
  sockets: number;
  chats: number;
  fanout: number;
  connect: { ok: number; failed: number; errors: Record<string, number>; ms: number };
  at20k: StepResult | null;
  steps: StepResult[];
  /** Delivered frames/s of the highest step whose p99 stayed under the bound with no loss. */
  best: StepResult | null;
  limit: string;
}

const P99_BOUND_MS = 50;

/** Fan-out of injected NATS events through one target, rate stepped up until p99 passes the bound. */
export async function runFanout(opts: BenchOptions, natsUrl: string, namespace: string, target: FanoutTarget, shape: FanoutShape): Promise<FanoutResult> {
  const fanout = shape.chats[0]!.tokens.length;
  const sockets = shape.chats.length * fanout;
  const paths = shape.chats.flatMap((c) => c.tokens.map((t) => target.socketPath(c.id, t)));
  const pool = await WorkerPool.start(opts.workers, sockets + 1024);
  const injector = Injector.start();
  const result: FanoutResult = {
    target: target.name,
    shape: shape.name,
    sockets,
    chats: shape.chats.length,
    fanout,
    connect: { ok: 0, failed: 0, errors: {}, ms: 0 },
    at20k: null,
    steps: [],
    best: null,
    limit: '',
  };
  try {
    result.connect = await pool.open({ host: '127.0.0.1', port: target.port, protocol: target.protocol, paths, concurrency: 50 });
    if (result.connect.failed > 0) {
      result.limit = `${result.connect.failed} sockets failed to open: ${JSON.stringify(result.connect.errors)}`;
      return result;
    }
    await sleep(500); // let subscriptions and membership answers settle
    await injector.setup(natsUrl, namespace, shape.chats.map((c) => ({ id: c.id, userId: c.authorId, lastSeq: 0 })));

    const measure = async (targetFps: number, durationMs: number): Promise<StepResult> => {
      const publishRate = targetFps / fanout;
      await pool.reset();
      const meter = cpuMeter({ server: target.pid, injector: injector.pid, ...Object.fromEntries(pool.pids.map((p, i) => [`w${i}`, p])) });
      const parent0 = process.cpuUsage();
      const run = await injector.run(publishRate, durationMs);
      const expected = run.sent * fanout;
      const rep = await drain(pool, expected);
      const cpu = meter.stop();
      const parentUs = process.cpuUsage(parent0);
      const workersMs = pool.pids.reduce((a, _, i) => a + cpu.ms[`w${i}`]!, 0);
      const generatorMs = workersMs + cpu.ms.injector! + (parentUs.user + parentUs.system) / 1000;
      const latency = rep.hist.summary();
      const injectorKeptUp = run.sent >= Math.floor(publishRate * (durationMs / 1000) * 0.95) - 1;
      const step: StepResult = {
        targetFps,
        publishRate: round(publishRate, 1),
        sent: run.sent,
        expected,
        received: rep.stamped,
        deliveredFps: Math.round(rep.stamped / (run.ms / 1000)),
        latency,
        cpu: {
          server: cpu.pct.server!,
          generator: round((generatorMs / cpu.wallMs) * 100, 1),
          injector: cpu.pct.injector!,
          workers: round((workersMs / cpu.wallMs) * 100, 1),
        },
        serverCpuPer10k: rep.stamped ? round((cpu.ms.server! * 1000) / rep.stamped, 1) : 0,
        injectorKeptUp,
        closed: rep.closed,
        pass: injectorKeptUp && latency.p99Ms < P99_BOUND_MS && rep.stamped >= expected * 0.98 && rep.open === sockets,
      };
      log(`  ${target.name}/${shape.name} ${fmtK(targetFps)} fps: delivered ${fmtK(step.deliveredFps)} (${rep.stamped}/${expected}, ${rep.open}/${sockets} open) p50 ${latency.p50Ms.toFixed(2)} p99 ${latency.p99Ms.toFixed(2)} ms, server ${step.cpu.server}% gen ${step.cpu.generator}%${step.pass ? '' : ' FAIL'}`);
      return step;
    };

    await measure(10_000, opts.quick ? 300 : 1000); // warm-up (JIT, buffers), not reported
    result.at20k = await measure(20_000, opts.stepMs);
    let prev: StepResult | null = null;
    for (const fps of opts.fanoutSteps) {
      let step = fps === 20_000 ? result.at20k : await measure(fps, opts.stepMs);
      if (!step.pass && step.injectorKeptUp && !opts.quick) {
        // Two shared, noisy cores: one retry before a failure counts; both attempts are kept.
        await sleep(1000);
        const again = await measure(fps, opts.stepMs);
        again.failedFirst = step;
        step = again;
      }
      result.steps.push(step);
      if (!step.pass) {
        result.limit = !step.injectorKeptUp
          ? `injector could not publish ${fmtK(step.publishRate)} msg/s`
          : step.received < step.expected * 0.98
            ? `delivered ${step.received}/${step.expected} frames at ${fmtK(fps)} fps (${fmtCloses(step.closed)})`
            : `p99 ${step.latency.p99Ms.toFixed(1)} ms at ${fmtK(fps)} fps`;
        break;
      }
      result.best = step;
      if (prev && step.deliveredFps < prev.deliveredFps * 1.05) {
        result.limit = `delivered rate stopped growing at ${fmtK(step.deliveredFps)} fps`;
        break;
      }
      prev = step;
    }
    if (!result.limit) result.limit = 'top of the step list (quick mode or list exhausted)';
    return result;
  } finally {
    await injector.stop();
    await pool.stop();
    await sleep(300);
  }
}

/** Waits for the frames still on their way: until all came, none came for 750 ms, or 5 s passed. */
export async function drain(pool: WorkerPool, expected: number) {
  let rep = await pool.report();
  const deadline = Date.now() + 5000;
  let last = rep.stamped;
  let stillSince = Date.now();
  while (rep.stamped < expected && Date.now() < deadline && Date.now() - stillSince < 750) {
    await sleep(125);
    rep = await pool.report();
    if (rep.stamped !== last) {
      last = rep.stamped;
      stillSince = Date.now();
    }
  }
  return rep;
}

function fmtCloses(closed: Record<string, number>): string {
  const e = Object.entries(closed);
  return e.length ? `closes ${e.map(([k, v]) => `${k}x${v}`).join(',')}` : 'no closes';
}

export function fmtK(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e5 ? 0 : 1)}k`;
  return String(Math.round(n));
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
