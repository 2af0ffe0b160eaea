import { clusterPlan } from '@chatroulette/local-infra';
import type { ServiceName } from './in-process-service.js';
import type { Instance, InstancePlan, Stack, Topology } from './stack.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

type Plan = ServiceName | InstancePlan;
type Upstream = Exclude<ServiceName, 'gateway'>;

/** Instances of each service, and gateways behind one balancer, per instance a topology asks for. */
const copies = clusterPlan.services.auth.length;

/**
 * The cluster topology of the tests (TEST_TOPOLOGY=cluster, `npm run test:e2e:cluster`): the tests
 * keep their topologies, and each is run as `npm run start:cluster` runs the product. Every instance
 * a topology names becomes two alike; every gateway becomes two gateways behind a balancer (a TCP
 * relay taking each new connection to the next of them), which is the Instance the test gets, so
 * its requests and sockets land on both; a gateway's upstreams `[i]` are both copies of instance i.
 * On a NATS of several servers (the global setup's cluster of three), every stream and bucket has
 * as many replicas, up to clusterPlan.streamReplicas.
 */
export const clusterTopologyWanted = () => process.env.TEST_TOPOLOGY === 'cluster';

/** Stack functions the cluster view is built on (stack.ts passes them: no import cycle). */
export interface StackParts {
  createStack(topology: Topology): Stack;
}

export async function startClusterStack(topology: Topology, parts: StackParts): Promise<Stack> {
  const inner = parts.createStack({ ...topology, env: withReplicas(topology) });
  const shown: Instance[] = [];
  /** The copies in `inner` of each instance the topology named, per service, in order. */
  const copiesOf = new Map<ServiceName, Instance[][]>();
  const view: Stack = {
    instances: shown,
    get(service, index = 0) {
      return view.all(service)[index] ?? fail(`the stack runs no ${service} instance ${index}`);
    },
    all: (service) => shown.filter((i) => i.service === service),
    process(service, index = 0) {
      return view.get(service, index).process ?? fail(`${service} ${index} has no child process of its own here`);
    },
    async start(plan) {
      const instance = await inner.start(plan);
      shown.push(instance);
      return instance;
    },
    async destroy() {
      for (const i of [...shown].reverse()) await i.stop();
      await inner.destroy();
    },
  };

  async function startCopies(given: Plan): Promise<Instance[]> {
    const plan: InstancePlan = typeof given === 'string' ? { service: given } : given;
    if (plan.service === 'gateway') return [await startGateway(plan)];
    const started = await settledAll(Array.from({ length: copies }, (_, i) => inner.start(i === 0 ? plan : { ...plan, port: undefined })));
    const list = copiesOf.get(plan.service) ?? [];
    list.push(started);
    copiesOf.set(plan.service, list);
    shown.push(...started);
    return started;
  }

  async function startGateway(plan: InstancePlan): Promise<Instance> {
    const upstreams: InstancePlan['upstreams'] = {};
    for (const [service, indexes] of Object.entries(plan.upstreams ?? {}) as [Upstream, number[]][]) {
      const running = inner.all(service);
      const chosen = indexes.flatMap((i) => copiesOf.get(service)?.[i] ?? fail(`no ${service} instance ${i} for the gateway`));
      upstreams[service] = chosen.map((c) => running.indexOf(c));
    }
    const gateways = await settledAll(Array.from({ length: copies }, () => inner.start({ ...plan, port: undefined, upstreams })));
    let balancer: TcpProxy;
    try {
      balancer = await startTcpProxy(gateways.map((g) => g.port));
    } catch (e) {
      for (const g of gateways) await g.stop();
      throw e;
    }
    const instance: Instance = {
      service: 'gateway',
      name: gateways[0]!.name,
      port: balancer.port,
      url: `http://127.0.0.1:${balancer.port}`,
      process: undefined,
      stop: async () => {
        const at = shown.indexOf(instance);
        if (at < 0) return;
        shown.splice(at, 1);
        await balancer.close();
        for (const g of gateways) await g.stop();
      },
    };
    shown.push(instance);
    return instance;
  }

  try {
    for (const entry of topology.instances ?? []) {
      if (Array.isArray(entry)) await settledAll(entry.map(startCopies));
      else await startCopies(entry);
    }
    return view;
  } catch (e) {
    await view.destroy();
    throw e;
  }
}

/** NATS_STREAM_REPLICAS for every service on a NATS of several servers, unless the topology sets it. */
function withReplicas(topology: Topology): Topology['env'] {
  const servers = topology.infra.natsUrl.split(',').filter(Boolean).length;
  if (servers < 2) return topology.env;
  const replicas = { NATS_STREAM_REPLICAS: String(Math.min(servers, clusterPlan.streamReplicas)) };
  const services: ServiceName[] = ['auth', 'messages', 'roulette', 'media', 'gateway'];
  return Object.fromEntries(services.map((s) => [s, { ...replicas, ...topology.env?.[s] }]));
}

/** Like Promise.all, but every start settles first, so what did start is in the stack when it is destroyed. */
async function settledAll<T>(starts: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(starts);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

function fail(message: string): never {
  throw new Error(message);
}
