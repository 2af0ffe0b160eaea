import path from 'node:path';
import pg from 'pg';
import { connect } from 'nats';
import { createSubjects } from '@chatroulette/contracts';
import { freePort, spawnNode, waitReady, type Proc } from './spawn.js';
import { listensOn } from './proc.js';
import { sleep } from './clock.js';

export type ServiceName = 'auth' | 'messages' | 'roulette' | 'gateway';

export interface Stack {
  /** procs.gateway is the first gateway process; all of them are in `gateways`. */
  procs: Record<ServiceName, Proc>;
  /** Every gateway process: `gatewayProcesses` of them, all listening on ports.gateway (SO_REUSEPORT). */
  gateways: Proc[];
  ports: Record<ServiceName, number>;
  /** The gateway's base URL, e.g. http://127.0.0.1:1234. */
  base: string;
  /** Stops every gateway process and starts `processes` fresh ones (default 1) in their place (same upstreams). */
  restartGateway(extra?: { openFiles?: number; nodeArgs?: string[]; processes?: number }): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  root: string;
  natsUrl: string;
  databaseUrl: string;
  namespace: string;
  gatewayOpenFiles: number;
  gatewayNodeArgs?: string[];
  /** Node flags for the messages process (e.g. --cpu-prof with --profile). */
  messagesNodeArgs?: string[];
  /** How many gateway processes share the gateway's port (default 1). */
  gatewayProcesses?: number;
  /** Where each service's output goes (one file per service). */
  logDir: string;
}

export const benchDatabase = (service: string) => `chatroulette_bench_${service}`;

/**
 * Starts auth, messages, roulette and the gateway as child processes (one process each, so each
 * one's CPU can be read from /proc), in a bench NATS namespace and bench databases. The gateway
 * may be several processes on the same port (uWebSockets.js listens with SO_REUSEPORT: the
 * kernel spreads connections between them), each an independent gateway with its own GATEWAY_ID.
 */
export async function startStack(o: StackOptions): Promise<Stack> {
  await dropDatabases(o.databaseUrl);
  const ports = { auth: await freePort(), messages: await freePort(), roulette: await freePort(), gateway: await freePort() };
  const common = { NATS_URL: o.natsUrl, NATS_NAMESPACE: o.namespace, DATABASE_URL: o.databaseUrl, LOG_LEVEL: 'warn' };
  // BENCH_GATEWAY_MAIN: bench another gateway build (an experiment's copy) against the same services.
  const file = (name: ServiceName) =>
    name === 'gateway' && process.env.BENCH_GATEWAY_MAIN ? path.resolve(process.env.BENCH_GATEWAY_MAIN) : path.join(o.root, 'services', name, 'src/main.ts');
  const procs = {} as Record<ServiceName, Proc>;
  const gateways: Proc[] = [];
  const stack: Stack = {
    procs,
    gateways,
    ports,
    base: `http://127.0.0.1:${ports.gateway}`,
    restartGateway: async (extra) => {
      await Promise.all(gateways.splice(0).map((p) => p.stop()));
      await startGateways(extra?.processes ?? 1, extra?.openFiles ?? o.gatewayOpenFiles, extra?.nodeArgs ?? o.gatewayNodeArgs);
    },
    stop: async () => {
      await Promise.all([...new Set([...Object.values(procs), ...gateways])].map((p) => p.stop()));
      await dropDatabases(o.databaseUrl).catch(() => undefined);
      await deleteStreams(o.natsUrl, o.namespace).catch(() => undefined);
    },
  };
  /** One process after another, each ready (listening on the shared port) before the next starts. */
  async function startGateways(count: number, openFiles: number, nodeArgs?: string[]) {
    for (let i = 1; i <= count; i++) {
      const gw = await startGateway(i, openFiles, nodeArgs);
      gateways.push(gw);
      if (i === 1) procs.gateway = gw;
    }
  }
  async function startGateway(index: number, openFiles: number, nodeArgs?: string[]): Promise<Proc> {
    const gw = spawnNode(
      index === 1 ? 'gateway' : `gateway-${index}`,
      file('gateway'),
      {
        ...common,
        PORT: String(ports.gateway),
        LOG_LEVEL: process.env.BENCH_GATEWAY_LOG_LEVEL ?? 'warn',
        AUTH_URL: `http://127.0.0.1:${ports.auth}`,
        MESSAGES_URL: `http://127.0.0.1:${ports.messages}`,
        ROULETTE_URL: `http://127.0.0.1:${ports.roulette}`,
      },
      { cwd: o.root, openFiles, nodeArgs, logFile: path.join(o.logDir, index === 1 ? 'gateway.log' : `gateway-${index}.log`) },
    );
    if (index === 1) {
      await waitReady(gw, ports.gateway, `${stack.base}/healthz`);
    } else {
      // The port already answers (the first process): wait until this process listens on it too.
      const deadline = Date.now() + 90_000;
      while (!listensOn(gw.pid, ports.gateway)) {
        if (gw.child.exitCode !== null) throw new Error(`${gw.name} exited (${gw.child.exitCode})\n${gw.tail.join('\n')}`);
        if (Date.now() > deadline) throw new Error(`${gw.name} not listening on port ${ports.gateway} after 90 s\n${gw.tail.join('\n')}`);
        await sleep(200);
      }
    }
    return gw;
  }
  try {
    for (const name of ['auth', 'messages', 'roulette'] as const) {
      procs[name] = spawnNode(
        name,
        file(name),
        {
          ...common,
          PORT: String(ports[name]),
          DATABASE_NAME: benchDatabase(name),
          // The lowest scrypt cost auth accepts: registering thousands of bench users stays fast.
          ...(name === 'auth' ? { PASSWORD_HASH_COST: '10' } : {}),
        },
        { cwd: o.root, logFile: path.join(o.logDir, `${name}.log`), nodeArgs: name === 'messages' ? o.messagesNodeArgs : undefined },
      );
    }
    await Promise.all((['auth', 'messages', 'roulette'] as const).map((n) => waitReady(procs[n], ports[n], `http://127.0.0.1:${ports[n]}/healthz`)));
    await startGateways(o.gatewayProcesses ?? 1, o.gatewayOpenFiles, o.gatewayNodeArgs);
    return stack;
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

async function dropDatabases(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl, database: 'postgres' });
  await client.connect();
  try {
    for (const name of ['auth', 'messages', 'roulette']) {
      await client.query(`DROP DATABASE IF EXISTS ${benchDatabase(name)} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

/** The JetStream streams the services created for the bench namespace. */
async function deleteStreams(natsUrl: string, namespace: string) {
  const nc = await connect({ servers: natsUrl, name: 'bench-cleanup' });
  try {
    const jsm = await nc.jetstreamManager();
    const s = createSubjects(namespace);
    for (const name of [s.chatEventsStream, s.userEventsStream]) await jsm.streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}
