import type { BenchChat } from '../fixtures.js';
import { Posters } from '../load/posters.js';
import type { PosterTransport } from '../load/poster-worker.js';
import { WorkerPool } from '../load/worker-pool.js';
import { countsPer, type CountsPerUnit } from '../load-counters.js';
import { pidsNamed } from '../proc.js';
import type { BenchOptions } from '../options.js';
import type { Stack } from '../services.js';
import type { Monolith } from '../peers/start-monolith.js';
import { runSteps, type E2ePath, type E2ePathResult } from './e2e-steps.js';
import { log } from './fanout.js';

export interface E2eResult {
  chats: number;
  /** REST through the gateway, send_message over the gateway's socket, the monolith's REST. */
  paths: E2ePathResult[];
  /** The socket path's p99 at 500 msg/s, in ms (null when that step did not run). */
  socketP99At500Ms: number | null;
  /** PostgreSQL commits and NATS messages and bytes per message the gateway paths created. */
  perMessage: CountsPerUnit | null;
  /** Why a path did not run (its sockets did not open, the monolith did not start). */
  errors: string[];
}

/** Poster processes (the same for every path), and keep-alive connections per poster process (REST). */
const POSTERS = 2;
const CONNECTIONS = 32;

/** The receiving participant's sockets, one per chat; false (and an error) when some failed to open. */
async function openReceivers(pool: WorkerPool, port: number, chats: BenchChat[], errors: string[], what: string): Promise<boolean> {
  const open = await pool.open({ host: '127.0.0.1', port, protocol: 'ws', paths: chats.map((c) => `/api/v1/ws?token=${c.users[1]!.token}&chat_id=${c.id}`) });
  if (open.failed) errors.push(`${what}: ${open.failed} receiving sockets failed: ${JSON.stringify(open.errors)}`);
  return !open.failed;
}

async function runPath(
  opts: BenchOptions,
  path: E2ePath,
  transport: PosterTransport,
  port: number,
  chats: BenchChat[],
  receivers: WorkerPool,
  posters: Posters,
  pids: () => Record<string, number | number[]>,
  errors: string[],
): Promise<E2ePathResult | null> {
  const failed = await posters.setup({ host: '127.0.0.1', port }, transport, chats.map((c) => ({ id: c.id, token: c.users[0]!.token })), CONNECTIONS);
  if (Object.keys(failed).length) {
    errors.push(`${path}: sender sockets failed: ${JSON.stringify(failed)}`);
    return null;
  }
  return runSteps(opts, { path, receivers, posters, chats: chats.length, pids });
}

/**
 * End to end: one participant of each chat sends at stepped rates, the other participant's socket
 * receives new_message; latency from before the send to the frame. Three paths, one after the
 * other, with the same chats and the same generator processes: the gateway's REST, send_message
 * frames over the sender's own gateway socket, and the monolith peer's REST (its own process and
 * database, started with the generator so that neither start is in a step).
 */
export async function runE2e(opts: BenchOptions, stack: Stack, chats: BenchChat[], startMonolith: () => Promise<Monolith>): Promise<E2eResult> {
  const result: E2eResult = { chats: chats.length, paths: [], socketP99At500Ms: null, perMessage: null, errors: [] };
  const gatewayPids = () => ({
    gateway: stack.gateways.map((g) => g.pid),
    messages: stack.pids('messages'),
    auth: stack.pids('auth'),
    // The servers on the same cores: every PostgreSQL process (a backend per connection) and nats-server.
    postgres: pidsNamed('postgres'),
    nats: pidsNamed('nats-server'),
  });
  const countsBefore = await stack.counts();
  const posters = Posters.start(POSTERS);
  const monolithStart = startMonolith().catch((err: Error) => {
    result.errors.push(`monolith: ${err.message}`);
    return null;
  });
  const [gwReceivers, monoReceivers] = await Promise.all([WorkerPool.start(opts.workers, chats.length + 1024), WorkerPool.start(opts.workers, chats.length + 1024)]);
  let perMessage: Promise<CountsPerUnit | null> = Promise.resolve(null);
  const monolith = await monolithStart;
  try {
    if (await openReceivers(gwReceivers, stack.ports.gateway, chats, result.errors, 'gateway')) {
      for (const [path, transport] of [['rest', 'http'], ['socket', 'socket']] as const) {
        log(`  e2e path ${path}`);
        const r = await runPath(opts, path, transport, stack.ports.gateway, chats, gwReceivers, posters, gatewayPids, result.errors);
        if (r) result.paths.push(r);
      }
      // Read once PostgreSQL's statistics settle, while the monolith runs (its database is not counted).
      const created = result.paths.reduce((a, p) => a + p.created, 0);
      perMessage = countsPer(created, countsBefore, () => stack.counts()).catch((err: Error) => {
        result.errors.push(`per message counts: ${err.message}`);
        return null;
      });
    }
    await gwReceivers.stop();
    if (monolith && (await openReceivers(monoReceivers, monolith.port, monolith.chats, result.errors, 'monolith'))) {
      log('  e2e path monolith');
      const pids = () => ({ monolith: monolith.pid, postgres: pidsNamed('postgres') });
      const r = await runPath(opts, 'monolith', 'http', monolith.port, monolith.chats, monoReceivers, posters, pids, result.errors);
      if (r) result.paths.push(r);
    }
  } finally {
    await Promise.all([posters.stop(), gwReceivers.stop(), monoReceivers.stop()]);
    await monolith?.stop();
  }
  result.socketP99At500Ms = result.paths.find((p) => p.path === 'socket')?.steps.find((s) => s.rate === 500)?.latency.p99Ms ?? null;
  result.perMessage = await perMessage;
  const pm = result.perMessage;
  if (pm) log(`  e2e per message (${pm.units}): ${pm.pgCommits} PostgreSQL commits${pm.nats ? `, NATS ${pm.nats.msgsIn} msgs in / ${pm.nats.msgsOut} out, ${pm.nats.bytesIn} B in / ${pm.nats.bytesOut} B out (every node, replication included)` : ''}`);
  return result;
}
