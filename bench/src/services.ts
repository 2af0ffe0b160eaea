import path from 'node:path';
import pg from 'pg';
import { connect } from 'nats';
import { createSubjects } from '@chatroulette/contracts';
import { createStack, freePort, listensOn, type InstancePlan, type OwnService } from '@chatroulette/testing';
import { readCounts, type ServerCounts } from './load-counters.js';

export type ServiceName = 'auth' | 'messages' | 'roulette' | 'gateway';

export interface Stack {
  /** procs.gateway is the first gateway process; all of them are in `gateways`. */
  procs: Record<ServiceName, OwnService>;
  /** Every process of a service (two of each backend on the cluster topology). */
  pids(service: ServiceName): number[];
  /** The servers' own counters now (commits in the bench's databases; NATS /varz when monitored). */
  counts(): Promise<ServerCounts>;
  /** Every gateway process: `gatewayProcesses` of them, all listening on ports.gateway (SO_REUSEPORT). */
  gateways: OwnService[];
  ports: Record<ServiceName, number>;
  /** The gateway's base URL, e.g. http://127.0.0.1:1234. */
  base: string;
  /** Stops every gateway process and starts `processes` fresh ones (default 1) in their place (same upstreams). */
  restartGateway(extra?: { openFiles?: number; nodeArgs?: string[]; processes?: number }): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  natsUrl: string;
  databaseUrl: string;
  namespace: string;
  gatewayOpenFiles: number;
  gatewayNodeArgs?: string[];
  /** Node flags for the messages process (e.g. --cpu-prof with --profile). */
  messagesNodeArgs?: string[];
  /** Node flags for the roulette process (e.g. --cpu-prof with --profile). */
  rouletteNodeArgs?: string[];
  /** How many gateway processes share the gateway's port (default 1). */
  gatewayProcesses?: number;
  /**
   * The cluster topology (--cluster, libs/local-infra clusterPlan): two processes of each backend,
   * every gateway with both as upstreams, every stream with `streamReplicas` copies (natsUrl is then
   * the bench's own NATS cluster).
   */
  cluster?: { instances: number; streamReplicas: number };
  /** The NATS nodes' monitoring URLs, for the messages and bytes per message (the cluster's). */
  natsMonitors?: string[];
  /** Where each service's output goes (one file per service). */
  logDir: string;
}

/**
 * A bench run's database of a service: named after the run's namespace, so two runs at once (from
 * two checkouts) never drop each other's databases.
 */
const benchDatabase = (namespace: string) => (service: string) => `chatroulette_bench_${namespace}_${service}`;

/** Their logs go to files; warnings and errors are enough there. */
const quiet = { LOG_LEVEL: 'warn' };

/**
 * Starts auth, messages, roulette and the gateway as child processes (libs/testing's stack; one
 * process each, so each one's CPU can be read from /proc), in a bench NATS namespace and bench
 * databases. The gateway may be several processes on the same port (uWebSockets.js listens with
 * SO_REUSEPORT: the kernel spreads connections between them), each an independent gateway.
 */
/**
 * The bench drives every request and socket from one address and thousands of sockets from few
 * users: the gateway's caps are set out of reach (not off, so their counting is in the figures).
 */
const edgeCapsForOneAddress = {
  GATEWAY_MAX_REQUESTS_PER_ADDRESS: '1000000',
  GATEWAY_MAX_SOCKETS_PER_USER: '1000000',
  GATEWAY_MAX_PENDING_AUTH_PER_ADDRESS: '1000000',
};

export async function startStack(o: StackOptions): Promise<Stack> {
  const database = benchDatabase(o.namespace);
  const gatewayPort = await freePort();
  const replicas: Record<string, string> = o.cluster ? { NATS_STREAM_REPLICAS: String(o.cluster.streamReplicas) } : {};
  const services = createStack({
    infra: { natsUrl: o.natsUrl, namespace: o.namespace, databaseUrl: o.databaseUrl, database },
    run: 'process',
    env: {
      auth: { ...quiet, ...replicas },
      messages: { ...quiet, ...replicas },
      roulette: { ...quiet, ...replicas },
      gateway: { LOG_LEVEL: process.env.BENCH_GATEWAY_LOG_LEVEL ?? 'warn', ...edgeCapsForOneAddress, ...replicas },
    },
  });
  const logFile = (name: string) => path.join(o.logDir, `${name}.log`);
  const procs = {} as Record<ServiceName, OwnService>;
  const gateways: OwnService[] = [];
  const stack: Stack = {
    procs,
    pids: (service) => services.all(service).map((i) => i.process!.pid),
    counts: () => readCounts(o.databaseUrl, database(''), o.natsMonitors ?? []),
    gateways,
    ports: { auth: 0, messages: 0, roulette: 0, gateway: gatewayPort },
    base: `http://127.0.0.1:${gatewayPort}`,
    restartGateway: async (extra) => {
      await Promise.all(services.all('gateway').map((g) => g.stop()));
      gateways.length = 0;
      await startGateways(extra?.processes ?? 1, extra?.openFiles ?? o.gatewayOpenFiles, extra?.nodeArgs ?? o.gatewayNodeArgs);
    },
    stop: async () => {
      await Promise.all([...services.instances].map((i) => i.stop()));
      await dropDatabases(o.databaseUrl, database).catch(() => undefined);
      await deleteStreams(o.natsUrl, o.namespace).catch(() => undefined);
    },
  };

  /** One process after another, each ready (listening on the shared port) before the next starts. */
  async function startGateways(count: number, openFiles: number, nodeArgs?: string[]) {
    for (let i = 1; i <= count; i++) {
      const plan: InstancePlan = {
        service: 'gateway',
        port: gatewayPort,
        process: {
          // BENCH_GATEWAY_MAIN: bench another gateway build (an experiment's copy) against the same services.
          main: process.env.BENCH_GATEWAY_MAIN ? path.resolve(process.env.BENCH_GATEWAY_MAIN) : undefined,
          nodeArgs,
          openFiles,
          logFile: logFile(i === 1 ? 'gateway' : `gateway-${i}`),
          // The port already answers (the first process): wait until this process listens on it too.
          ready: i === 1 ? { http: '/healthz' } : { poll: (pid) => listensOn(pid, gatewayPort) },
          readyTimeoutMs: 90_000,
        },
      };
      const gw = (await services.start(plan)).process!;
      gateways.push(gw);
      if (i === 1) procs.gateway = gw;
    }
  }

  try {
    const backends = ['auth', 'messages', 'roulette'] as const;
    const copies = o.cluster?.instances ?? 1;
    const started = await Promise.all(
      backends.flatMap((service) =>
        Array.from({ length: copies }, (_, n) =>
          services.start({
            service,
            process: { logFile: logFile(n === 0 ? service : `${service}-${n + 1}`), nodeArgs: service === 'messages' ? o.messagesNodeArgs : service === 'roulette' ? o.rouletteNodeArgs : undefined, readyTimeoutMs: 90_000 },
          }),
        ),
      ),
    );
    for (const service of backends) {
      const first = started.find((s) => s.service === service)!;
      procs[service] = first.process!;
      stack.ports[service] = first.port;
    }
    await startGateways(o.gatewayProcesses ?? 1, o.gatewayOpenFiles, o.gatewayNodeArgs);
    return stack;
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

async function dropDatabases(databaseUrl: string, database: (service: string) => string) {
  const client = new pg.Client({ connectionString: databaseUrl, database: 'postgres' });
  await client.connect();
  try {
    for (const name of ['auth', 'messages', 'roulette']) {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database(name))} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

/** The JetStream streams the services created for the bench namespace. */
async function deleteStreams(natsUrl: string, namespace: string) {
  const nc = await connect({ servers: natsUrl.split(','), name: 'bench-cleanup' });
  try {
    const jsm = await nc.jetstreamManager();
    const s = createSubjects(namespace);
    for (const name of [s.chatEventsStream, s.userEventsStream]) await jsm.streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}
