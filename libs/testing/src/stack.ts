import { noteGateway } from './conformance/recorder.js';
import { clusterTopologyWanted, startClusterStack } from './cluster-stack.js';
import { freePort } from './free-port.js';
import { startInProcess, type ServiceName, type ServiceOptions } from './in-process-service.js';
import type { TestScope } from './isolation.js';
import { natsLoginEnv, type NatsLogin } from './nats-login.js';
import { startOwnService, type OwnService, type OwnServiceOptions } from './own-service.js';
import { roomyGatewayBudgets, serviceEnv } from './service-config.js';

export type { ServiceName } from './in-process-service.js';
type Upstream = Exclude<ServiceName, 'gateway'>;
type Env = Record<string, string>;

/** In this process (`createService(configFromEnv(env))`), or as a child process (`services/<name>/src/main.ts`). */
export type RunAs = 'in-process' | 'process';

/** Where the services find NATS and PostgreSQL and their names there: a test file's scope, or the bench's. */
export type StackInfra = Pick<TestScope, 'natsUrl' | 'namespace' | 'databaseUrl' | 'database'> & {
  /** How each service logs in to NATS (its own user on a server with the deployment's users); none: anonymous. */
  natsLogins?: Partial<Record<ServiceName, NatsLogin>>;
};

/** One instance of a service. Instances of a service share its database. */
export interface InstancePlan {
  service: ServiceName;
  /** Default: the topology's. */
  run?: RunAs;
  /** Over the stack's env for this service. */
  env?: Env;
  /** A gateway's upstreams, as indexes of the instances of each service started so far (default: all of them). */
  upstreams?: Partial<Record<Upstream, number[]>>;
  /** Default: a free port (0 in process). Gateway processes may share one (SO_REUSEPORT). */
  port?: number;
  /** How to run it as a child process. */
  process?: Pick<OwnServiceOptions, 'main' | 'nodeArgs' | 'openFiles' | 'logFile' | 'echo' | 'ready' | 'readyTimeoutMs'>;
  /** In process only: what createService takes beside the config (a logger to read). */
  options?: ServiceOptions;
}

/** The whole description of what a test or the bench runs. */
export interface Topology {
  infra: StackInfra;
  /** Default 'in-process'. */
  run?: RunAs;
  /** Environment for every instance of a service. */
  env?: Partial<Record<ServiceName, Env>>;
  /**
   * Started in this order, each ready before the next (a gateway after its upstreams); the plans of
   * an inner list start together (and count in the order they got ready: put two instances of one
   * service in one list only when they are alike).
   */
  instances?: (ServiceName | InstancePlan | (ServiceName | InstancePlan)[])[];
  /**
   * Run as the cluster topology (cluster-stack.ts: two of each instance, gateways behind a balancer).
   * Default: TEST_TOPOLOGY=cluster. A test of one instance's own behaviour sets false.
   */
  cluster?: boolean;
}

export interface Instance {
  readonly service: ServiceName;
  /** `<service>` for the first instance started, `<service>-<n>` for the n-th. */
  readonly name: string;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The child process (kill -9, restart, its output) when it runs as one. */
  readonly process: OwnService | undefined;
  /** Stops it and takes it out of the stack. */
  stop(): Promise<void>;
}

export interface Stack {
  /** Every running instance, in start order. */
  readonly instances: Instance[];
  /** The `index`-th running instance of `service`. */
  get(service: ServiceName, index?: number): Instance;
  all(service: ServiceName): Instance[];
  /** The child process of an instance; throws when it runs in this process. */
  process(service: ServiceName, index?: number): OwnService;
  /** Starts one more instance. */
  start(plan: ServiceName | InstancePlan): Promise<Instance>;
  /** Stops everything, the last started first (gateways before the services behind them). */
  destroy(): Promise<void>;
}

/** The lowest scrypt cost auth accepts (registering test users stays fast), its development key, and budgets no test of many users reaches by accident. */
const serviceDefaults: Partial<Record<ServiceName, Env>> = {
  auth: { PASSWORD_HASH_COST: '10', AUTH_DEV_KEY: '1', REGISTER_PER_ADDRESS_PER_MINUTE: '1000000', REGISTER_PER_MINUTE: '10000000', LOGIN_PER_ADDRESS_PER_MINUTE: '1000000', LOGIN_PER_MINUTE: '10000000' },
  gateway: roomyGatewayBudgets,
};
/** A child process logs at info: its output is printed when it fails to start or dies. */
const processLogLevel = { LOG_LEVEL: 'info' };
/** A gateway with no roulette (or media) upstream points at a port where nothing listens. */
const nowhere = 'http://127.0.0.1:9';

/** Starts the topology's instances; on a failure stops what started and rethrows. */
export async function startStack(topology: Topology): Promise<Stack> {
  if (topology.cluster ?? clusterTopologyWanted()) return startClusterStack(topology, { createStack });
  const stack = createStack(topology);
  try {
    for (const plan of topology.instances ?? []) {
      if (!Array.isArray(plan)) {
        await stack.start(plan);
        continue;
      }
      // Settled, not all: each start that succeeds is in the stack before destroy() runs.
      const failed = (await Promise.allSettled(plan.map((p) => stack.start(p)))).find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
    return stack;
  } catch (e) {
    await stack.destroy();
    throw e;
  }
}

/** An empty stack on the topology's infrastructure; `start` adds instances. */
export function createStack(topology: Topology): Stack {
  const instances: Instance[] = [];
  const all = (service: ServiceName) => instances.filter((i) => i.service === service);
  const startedOf = new Map<ServiceName, number>();

  const upstreamUrls = (plan: InstancePlan, service: Upstream) => {
    const running = all(service);
    const chosen = plan.upstreams?.[service]?.map((i) => running[i] ?? fail(`no ${service} instance ${i} for the gateway`)) ?? running;
    return chosen.map((i) => i.url).join(',');
  };

  const envFor = (plan: InstancePlan, run: RunAs, port: number): Env => {
    const gateway: Env = plan.service === 'gateway'
      ? {
          AUTH_URL: upstreamUrls(plan, 'auth'),
          MESSAGES_URL: upstreamUrls(plan, 'messages'),
          ROULETTE_URL: upstreamUrls(plan, 'roulette') || nowhere,
          MEDIA_URL: upstreamUrls(plan, 'media') || nowhere,
          // Test gateways run side by side: each takes a free metrics port rather than all wanting 9464.
          METRICS_PORT: '0',
        }
      : {};
    return {
      ...serviceEnv(topology.infra, plan.service),
      ...natsLoginEnv(topology.infra.natsLogins?.[plan.service]),
      ...(run === 'process' ? processLogLevel : undefined),
      ...serviceDefaults[plan.service],
      ...gateway,
      ...topology.env?.[plan.service],
      ...plan.env,
      PORT: String(port),
    };
  };

  const stack: Stack = {
    instances,
    get(service, index = 0) {
      return all(service)[index] ?? fail(`the stack runs no ${service} instance ${index}`);
    },
    all,
    process(service, index = 0) {
      return stack.get(service, index).process ?? fail(`${service} ${index} runs in this process, not as a child process`);
    },
    async start(given) {
      const plan = typeof given === 'string' ? { service: given } : given;
      const run = plan.run ?? topology.run ?? 'in-process';
      const n = (startedOf.get(plan.service) ?? 0) + 1;
      startedOf.set(plan.service, n);
      const name = n === 1 ? plan.service : `${plan.service}-${n}`;
      let instance: Instance;
      if (run === 'process') {
        const port = plan.port ?? (await freePort());
        const proc = await startOwnService(plan.service, {
          ready: { http: '/healthz' },
          ...plan.process,
          env: envFor(plan, run, port),
          port,
        });
        instance = { service: plan.service, name, port, url: proc.url, process: proc, stop: () => remove(instance, async () => void (proc.running && (await proc.stop()))) };
      } else {
        const svc = await startInProcess(plan.service, envFor(plan, run, plan.port ?? 0), plan.options);
        instance = { service: plan.service, name, port: svc.port, url: `http://127.0.0.1:${svc.port}`, process: undefined, stop: () => remove(instance, svc.destroy) };
      }
      if (plan.service === 'gateway') noteGateway(instance.url);
      instances.push(instance);
      return instance;
    },
    async destroy() {
      for (const i of [...instances].reverse()) await i.stop();
    },
  };

  async function remove(instance: Instance, stop: () => Promise<void>) {
    const at = instances.indexOf(instance);
    if (at < 0) return;
    instances.splice(at, 1);
    await stop();
  }
  return stack;
}

function fail(message: string): never {
  throw new Error(message);
}
