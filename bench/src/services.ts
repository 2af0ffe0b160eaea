import path from 'node:path';
import pg from 'pg';
import { connect } from 'nats';
import { createSubjects } from '@chatroulette/contracts';
import { freePort, spawnNode, waitReady, type Proc } from './spawn.js';

export type ServiceName = 'auth' | 'messages' | 'roulette' | 'gateway';

export interface Stack {
  procs: Record<ServiceName, Proc>;
  ports: Record<ServiceName, number>;
  /** The gateway's base URL, e.g. http://127.0.0.1:1234. */
  base: string;
  /** Starts a fresh gateway process in place of the running one (same upstreams). */
  restartGateway(extra?: { openFiles?: number; nodeArgs?: string[] }): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  root: string;
  natsUrl: string;
  databaseUrl: string;
  namespace: string;
  gatewayOpenFiles: number;
  gatewayNodeArgs?: string[];
  /** Where each service's output goes (one file per service). */
  logDir: string;
}

export const benchDatabase = (service: string) => `chatroulette_bench_${service}`;

/**
 * Starts auth, messages, roulette and the gateway as child processes (one process each, so each
 * one's CPU can be read from /proc), in a bench NATS namespace and bench databases.
 */
export async function startStack(o: StackOptions): Promise<Stack> {
  await dropDatabases(o.databaseUrl);
  const ports = { auth: await freePort(), messages: await freePort(), roulette: await freePort(), gateway: await freePort() };
  const common = { NATS_URL: o.natsUrl, NATS_NAMESPACE: o.namespace, DATABASE_URL: o.databaseUrl, LOG_LEVEL: 'warn' };
  // BENCH_GATEWAY_MAIN: bench another gateway build (an experiment's copy) against the same services.
  const file = (name: ServiceName) =>
    name === 'gateway' && process.env.BENCH_GATEWAY_MAIN ? path.resolve(process.env.BENCH_GATEWAY_MAIN) : path.join(o.root, 'services', name, 'src/main.ts');
  const procs = {} as Record<ServiceName, Proc>;
  const stack: Stack = {
    procs,
    ports,
    base: `http://127.0.0.1:${ports.gateway}`,
    restartGateway: async (extra) => {
      await procs.gateway.stop();
      await startGateway(extra?.openFiles ?? o.gatewayOpenFiles, extra?.nodeArgs ?? o.gatewayNodeArgs);
    },
    stop: async () => {
      await Promise.all(Object.values(procs).map((p) => p.stop()));
      await dropDatabases(o.databaseUrl).catch(() => undefined);
      await deleteStreams(o.natsUrl, o.namespace).catch(() => undefined);
    },
  };
  async function startGateway(openFiles: number, nodeArgs?: string[]) {
    procs.gateway = spawnNode(
      'gateway',
      file('gateway'),
      {
        ...common,
        PORT: String(ports.gateway),
        LOG_LEVEL: process.env.BENCH_GATEWAY_LOG_LEVEL ?? 'warn',
        AUTH_URL: `http://127.0.0.1:${ports.auth}`,
        MESSAGES_URL: `http://127.0.0.1:${ports.messages}`,
        ROULETTE_URL: `http://127.0.0.1:${ports.roulette}`,
      },
      { cwd: o.root, openFiles, nodeArgs, logFile: path.join(o.logDir, 'gateway.log') },
    );
    await waitReady(procs.gateway, ports.gateway, `${stack.base}/healthz`);
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
        { cwd: o.root, logFile: path.join(o.logDir, `${name}.log`) },
      );
    }
    await Promise.all((['auth', 'messages', 'roulette'] as const).map((n) => waitReady(procs[n], ports[n], `http://127.0.0.1:${ports[n]}/healthz`)));
    await startGateway(o.gatewayOpenFiles, o.gatewayNodeArgs);
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
