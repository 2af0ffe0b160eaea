import { clusterPlan } from '@chatroulette/local-infra';
import type { ServiceName } from './in-process-service.js';
import type { TestScope } from './isolation.js';
import { startOwnNatsCluster, type OwnNatsCluster } from './own-nats-cluster.js';
import { startStack, type Instance, type InstancePlan, type RunAs, type Stack, type Topology } from './stack.js';

export interface Cluster {
  /** The three nodes (kill, restart one); `nats.url` is every process's NATS_URL. */
  nats: OwnNatsCluster;
  stack: Stack;
  /** The two gateways, each with both instances of every service as upstreams. */
  gateways: Instance[];
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Environment for every instance of a service, over the cluster's own. */
  env?: Topology['env'];
  /** Default 'process': each instance its own child process, as start:cluster runs them (SIGKILL one). */
  run?: RunAs;
  /** Services beside auth and messages (default: roulette and media too). */
  services?: Exclude<ServiceName, 'gateway' | 'auth' | 'messages'>[];
}

/**
 * The whole product as `npm run start:cluster` runs it (libs/local-infra clusterPlan), on free ports
 * and in the test's scope: a NATS cluster of three of the test's own (a fault test kills its nodes),
 * every stream and bucket on all three, two instances of each service and two gateways.
 */
export async function startCluster(scope: Omit<TestScope, 'natsUrl'>, opts: ClusterOptions = {}): Promise<Cluster> {
  const nats = await startOwnNatsCluster(clusterPlan.nats.clientPorts.length);
  const run = opts.run ?? 'process';
  // Started together on two cores, a process may take far longer than alone to answer.
  const twice = (service: ServiceName): InstancePlan[] => clusterPlan.gateways.ports.map(() => ({ service, run, process: { readyTimeoutMs: 120_000 } }));
  const replicas = { NATS_STREAM_REPLICAS: String(clusterPlan.streamReplicas) };
  const services: ServiceName[] = ['auth', 'messages', ...(opts.services ?? ['roulette', 'media'])];
  try {
    const stack = await startStack({
      infra: { ...scope, natsUrl: nats.url },
      // Already the cluster topology: not expanded again under TEST_TOPOLOGY=cluster.
      cluster: false,
      env: Object.fromEntries([...services, 'gateway'].map((s) => [s, { ...replicas, ...opts.env?.[s as ServiceName] }])),
      instances: [services.flatMap(twice), twice('gateway')],
    });
    return {
      nats,
      stack,
      gateways: stack.all('gateway'),
      stop: async () => {
        await stack.destroy();
        await nats.stop();
      },
    };
  } catch (e) {
    await nats.stop();
    throw e;
  }
}
