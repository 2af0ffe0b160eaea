/**
 * `npm run bench [-- --quick] [-- --only=peers,fanout,e2e,sockets,matching,budgets] [-- --profile] [-- --gateway-processes=N] [-- --cluster]`
 * Every scenario on 127.0.0.1, bounded in time and count; prints one table (and the end-to-end
 * paths' table with the `e2e highest rate` line), writes the raw figures to bench/results/<timestamp>.json.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { parseOptions } from './options.js';
import { startPeer, type PeerServer } from './peers/start-peers.js';
import { runFanout, log, type FanoutResult, type FanoutShape, type FanoutTarget } from './scenarios/fanout.js';
import { runE2e, type E2eResult } from './scenarios/e2e.js';
import { startMonolith } from './peers/start-monolith.js';
import { runSockets, type SocketsResult } from './scenarios/sockets.js';
import { runMatching, type MatchingResult } from './scenarios/matching.js';
import { runBudgets, type BudgetsResult } from './scenarios/budgets.js';
import { startStack, type Stack } from './services.js';
import { createChat, createPairChats, registerUsers, type BenchChat } from './fixtures.js';
import { hardOpenFileLimit } from './proc.js';
import { printTable } from './report.js';
import { highestRateLine } from './report-e2e.js';
import { limits } from '@chatroulette/contracts';
import { clusterPlan } from '@chatroulette/local-infra';
import { startOwnNatsCluster, type OwnNatsCluster } from '@chatroulette/testing';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const opts = parseOptions(process.argv.slice(2));
// --cluster: the bench's own NATS cluster of three, started in main().
let natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
let natsCluster: OwnNatsCluster | undefined;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
// A fresh namespace per run, so no event or stream of another run or test mixes in.
const namespace = opts.namespace ?? `bn${randomBytes(3).toString('hex')}`;
const openFiles = hardOpenFileLimit();
const startedAt = new Date();
const t0 = Date.now();
const logDir = path.join(root, 'bench/results', `${startedAt.toISOString().replace(/[:.]/g, '-')}-logs`);
mkdirSync(logDir, { recursive: true });

export interface BenchResults {
  startedAt: string;
  command: string;
  machine: { cpus: number; model: string; node: string; memGb: number; openFileHardLimit: number };
  options: Omit<typeof opts, 'only'> & { only: string[] };
  fanout: FanoutResult[];
  e2e: E2eResult | null;
  sockets: SocketsResult | null;
  matching: MatchingResult | null;
  budgets: BudgetsResult | null;
  errors: string[];
  durationS: number;
}

const results: BenchResults = {
  startedAt: startedAt.toISOString(),
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '?', node: process.version, memGb: Math.round(os.totalmem() / 2 ** 30), openFileHardLimit: openFiles },
  options: { ...opts, only: [...opts.only] },
  fanout: [],
  e2e: null,
  sockets: null,
  matching: null,
  budgets: null,
  errors: [],
  durationS: 0,
};

/** `node --cpu-prof` into bench/results/profiles/<service>/ (written when the process exits). */
const cpuProfile = (service: string) => ['--cpu-prof', `--cpu-prof-dir=${path.join(root, 'bench/results/profiles', service)}`];

let stack: Stack | null = null;
const peers: PeerServer[] = [];

async function main() {
  const needStack = ['fanout', 'e2e', 'sockets', 'matching'].some((s) => opts.only.has(s));
  if (opts.cluster) {
    natsCluster = await startOwnNatsCluster(clusterPlan.nats.clientPorts.length);
    natsUrl = natsCluster.url;
    log(`cluster topology: NATS cluster of ${natsCluster.nodes.length} at ${natsUrl}, ${clusterPlan.streamReplicas} replicas, two of each service`);
  }
  const gatewayProcesses = opts.cluster ? Math.max(opts.gatewayProcesses, clusterPlan.gateways.ports.length) : opts.gatewayProcesses;
  results.options.gatewayProcesses = gatewayProcesses;
  if (needStack) {
    log(`starting the services (namespace ${namespace}, ${gatewayProcesses} gateway process${gatewayProcesses > 1 ? 'es' : ''})`);
    try {
      stack = await startStack({
        natsUrl,
        databaseUrl,
        namespace,
        gatewayOpenFiles: openFiles,
        gatewayProcesses,
        cluster: opts.cluster ? { instances: clusterPlan.services.auth.length, streamReplicas: clusterPlan.streamReplicas } : undefined,
        natsMonitors: natsCluster?.monitorUrls,
        logDir,
        gatewayNodeArgs: opts.profile ? cpuProfile('gateway') : [],
        messagesNodeArgs: opts.profile ? cpuProfile('messages') : [],
        rouletteNodeArgs: opts.profile ? cpuProfile('roulette') : [],
      });
    } catch (err) {
      results.errors.push(`services did not start: ${(err as Error).message.split('\n').slice(0, 6).join(' | ')}`);
      log(`services did not start; continuing with the peers only\n${(err as Error).message}`);
    }
  }

  // Fan-out: the same two shapes through the gateway and both peers, in the same run.
  if (opts.only.has('peers') || opts.only.has('fanout')) {
    const shapes = await fanoutShapes();
    for (const kind of ['uws', 'socketio'] as const) {
      if (opts.only.has('peers')) peers.push(await startPeer(kind, { natsUrl, namespace, cwd: root, openFiles }));
    }
    for (const shape of shapes) {
      const targets: { target: FanoutTarget; shape: FanoutShape }[] = [];
      if (shape.gateway && stack && opts.only.has('fanout')) targets.push({ target: gatewayTarget(stack), shape: shape.gateway });
      for (const p of peers) targets.push({ target: p.target, shape: shape.peer });
      for (const t of targets) {
        log(`fan-out: ${t.target.name} / ${t.shape.name} (${t.shape.chats.length} chats x ${t.shape.chats[0]!.tokens.length} sockets)`);
        try {
          results.fanout.push(await runFanout(opts, natsUrl, namespace, t.target, t.shape));
        } catch (err) {
          results.errors.push(`fan-out ${t.target.name}/${t.shape.name}: ${(err as Error).message}`);
          log(`  failed: ${(err as Error).message}`);
        }
      }
    }
    for (const p of peers.splice(0)) await p.proc.stop();
  }

  if (stack && opts.only.has('e2e')) {
    log(`end to end: ${opts.e2eChats} chats, rates ${opts.e2eRates.join(', ')} msg/s`);
    try {
      // The fan-out's two-person chats when it ran (registering users is slow: auth hashes each password).
      const chats = fanoutChats.length >= opts.e2eChats ? fanoutChats.slice(0, opts.e2eChats) : await createPairChats(stack.base, await registerUsers(stack.base, opts.e2eChats * 2));
      const monolith = () => startMonolith({ databaseUrl, namespace, cwd: root, openFiles, logFile: path.join(logDir, 'monolith.log') }, chats);
      results.e2e = await runE2e(opts, stack, chats, monolith);
      results.errors.push(...results.e2e.errors.map((e) => `e2e ${e}`));
    } catch (err) {
      results.errors.push(`e2e: ${(err as Error).message}`);
      log(`  failed: ${(err as Error).message}`);
    }
  }

  if (stack && opts.only.has('matching')) {
    log(`matching: ${opts.matchUsers} users search at once`);
    try {
      const users = await registerUsers(stack.base, opts.matchUsers);
      results.matching = await runMatching(stack, users);
    } catch (err) {
      results.errors.push(`matching: ${(err as Error).message}`);
      log(`  failed: ${(err as Error).message}`);
    }
  }

  // The shared stores alone, without the services: what one budget costs a request.
  if (opts.only.has('budgets')) {
    log('budgets: consumes against PostgreSQL and the NATS KV bucket');
    try {
      results.budgets = await runBudgets({ natsUrl, databaseUrl, namespace, count: opts.quick ? 1000 : 5000 });
    } catch (err) {
      results.errors.push(`budgets: ${(err as Error).message}`);
      log(`  failed: ${(err as Error).message}`);
    }
  }

  // Last: it restarts the gateway, so the profile (--profile) covers the scenarios above.
  if (stack && opts.only.has('sockets')) {
    // On one gateway process whatever --gateway-processes says: it measures one process's limit.
    log(`sockets: ${opts.idleSockets} idle authenticated sockets on one gateway process`);
    try {
      const users = pairUsers.length ? pairUsers : await registerUsers(stack.base, Math.min(opts.idleSockets, opts.pairSockets));
      results.sockets = await runSockets(opts, stack, users, openFiles);
    } catch (err) {
      results.errors.push(`sockets: ${(err as Error).message}`);
      log(`  failed: ${(err as Error).message}`);
    }
  }
}

let pairUsers: Awaited<ReturnType<typeof registerUsers>> = [];
let fanoutChats: BenchChat[] = [];

/** The fan-out shapes: for the gateway, real users and chats; for the peers, chat ids alone. */
async function fanoutShapes(): Promise<{ gateway: FanoutShape | null; peer: FanoutShape }[]> {
  const pairChats = opts.pairSockets / 2;
  let gwPairs: FanoutShape | null = null;
  let gwRoom: FanoutShape | null = null;
  if (stack && opts.only.has('fanout')) {
    const base = stack.base;
    const t = Date.now();
    log(`registering ${opts.pairSockets} + ${limits.maxParticipants} users and creating ${pairChats} + 1 chats`);
    pairUsers = await registerUsers(base, opts.pairSockets);
    const chats: BenchChat[] = (fanoutChats = await createPairChats(base, pairUsers));
    gwPairs = { name: 'pairs', chats: chats.map((c) => ({ id: c.id, authorId: c.users[0]!.id, tokens: c.users.map((u) => u.token) })) };
    // A chat holds at most maxParticipants users, so the room's sockets are several per user.
    const roomUsers = await registerUsers(base, process.env.NOROOM ? 2 : limits.maxParticipants);
    const room = await createChat(base, roomUsers[0]!, roomUsers.slice(1));
    gwRoom = {
      name: 'room',
      chats: [{ id: room.id, authorId: roomUsers[0]!.id, tokens: Array.from({ length: opts.roomSockets }, (_, i) => roomUsers[i % roomUsers.length]!.token) }],
    };
    log(`  fixtures ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const peerPairs: FanoutShape = { name: 'pairs', chats: Array.from({ length: pairChats }, () => ({ id: randomUUID(), authorId: randomUUID(), tokens: [undefined, undefined] })) };
  const peerRoom: FanoutShape = { name: 'room', chats: [{ id: randomUUID(), authorId: randomUUID(), tokens: Array.from({ length: opts.roomSockets }, () => undefined) }] };
  return [
    { gateway: gwPairs, peer: peerPairs },
    { gateway: gwRoom, peer: peerRoom },
  ];
}

function gatewayTarget(s: Stack): FanoutTarget {
  return {
    name: 'gateway',
    pid: s.gateways.map((g) => g.pid),
    port: s.ports.gateway,
    protocol: 'ws',
    socketPath: (chatId, token) => `/api/v1/ws?token=${token}&chat_id=${chatId}`,
  };
}

async function cleanup() {
  for (const p of peers.splice(0)) await p.proc.stop();
  if (stack) await stack.stop();
  stack = null;
  await natsCluster?.stop();
  natsCluster = undefined;
}

let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  log('interrupted: stopping the servers');
  void cleanup().finally(() => process.exit(130));
});

try {
  await main();
} catch (err) {
  results.errors.push(`bench: ${(err as Error).stack ?? err}`);
  log(`bench failed: ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
results.durationS = Math.round((Date.now() - t0) / 100) / 10;
const dir = path.join(root, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
printTable(results);
if (results.e2e) console.log(`\n${highestRateLine(results.e2e)}`);
console.log(`\nraw figures: ${path.relative(process.cwd(), file)} (${results.durationS} s)`);
if (results.errors.length) {
  console.log(`errors:\n${results.errors.map((e) => `  - ${e}`).join('\n')}`);
  process.exitCode = 1;
}
