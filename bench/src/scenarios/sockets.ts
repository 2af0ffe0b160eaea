import { sleep } from '../clock.js';
import type { BenchUser } from '../fixtures.js';
import { WorkerPool } from '../load/worker-pool.js';
import { cpuMeter, openFileLimit, round, rssSumKb } from '../proc.js';
import type { BenchOptions } from '../options.js';
import type { Stack } from '../services.js';
import { log } from './fanout.js';

export interface SocketsResult {
  target: number;
  opened: number;
  failed: number;
  errors: Record<string, number>;
  stillOpen: number;
  connectsPerSec: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  rssPerSocketBytes: number;
  openFileLimit: number;
  cpu: Record<string, number>;
  limit: string;
}

/**
 * Idle authenticated sockets (no chat_id) on one fresh gateway process: RSS per socket and connects/s.
 * Always one process (even with --gateway-processes=N): the figure is one process's limit. RSS and
 * CPU are summed over the stack's gateway processes, which here is that one.
 */
export async function runSockets(opts: BenchOptions, stack: Stack, users: BenchUser[], gatewayOpenFiles: number): Promise<SocketsResult> {
  await stack.restartGateway({ openFiles: gatewayOpenFiles, processes: 1 });
  const gw = stack.procs.gateway.pid;
  const gws = stack.gateways.map((g) => g.pid);
  const pool = await WorkerPool.start(opts.workers, Math.ceil(opts.idleSockets / opts.workers) + 1024);
  try {
    // A few sockets first so lazily created state (NATS, JIT, buffers) is in the baseline.
    await pool.open({ host: '127.0.0.1', port: stack.ports.gateway, protocol: 'ws', paths: users.slice(0, 8).map((u) => `/api/v1/ws?token=${u.token}`) });
    await sleep(1000);
    const rssBeforeKb = rssSumKb(gws);
    const n = opts.idleSockets;
    const paths = Array.from({ length: n }, (_, i) => `/api/v1/ws?token=${users[(i + 8) % users.length]!.token}`);
    const meter = cpuMeter({ gateway: gws, auth: stack.pids('auth'), ...Object.fromEntries(pool.pids.map((p, i) => [`w${i}`, p])) });
    const open = await pool.open({ host: '127.0.0.1', port: stack.ports.gateway, protocol: 'ws', paths, concurrency: 50 });
    const cpu = meter.stop();
    await sleep(2000);
    const rssAfterKb = rssSumKb(gws);
    const rep = await pool.report();
    const gen = Object.entries(cpu.ms).filter(([k]) => /^w\d/.test(k)).reduce((a, [, v]) => a + v, 0);
    const limit = openFileLimit(gw);
    const result: SocketsResult = {
      target: n,
      opened: open.ok,
      failed: open.failed,
      errors: open.errors,
      stillOpen: rep.open - 8,
      connectsPerSec: Math.round(open.ok / (open.ms / 1000)),
      rssBeforeKb,
      rssAfterKb,
      rssPerSocketBytes: open.ok ? Math.round(((rssAfterKb - rssBeforeKb) * 1024) / open.ok) : 0,
      openFileLimit: limit,
      cpu: { gateway: cpu.pct.gateway!, auth: cpu.pct.auth!, generator: round((gen / cpu.wallMs) * 100, 1) },
      limit: open.failed ? `failures: ${JSON.stringify(open.errors)}` : `target reached (gateway open-file limit ${limit})`,
    };
    log(`  sockets: ${open.ok}/${n} open in ${open.ms} ms (${result.connectsPerSec}/s), RSS +${rssAfterKb - rssBeforeKb} KiB = ${result.rssPerSocketBytes} B/socket, gw cpu ${cpu.pct.gateway}%; closes ${JSON.stringify(rep.closed)}`);
    return result;
  } finally {
    await pool.stop();
  }
}
