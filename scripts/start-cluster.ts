/**
 * `npm run start:cluster`: the cluster topology on this machine (libs/local-infra clusterPlan).
 * Three nats-server nodes routed into one JetStream cluster (client ports 4231-4233, stores in
 * .data/nats-cluster/n1..n3, kept across runs), every stream on all three (NATS_STREAM_REPLICAS=3);
 * two instances of each service (auth 3001/3011, messages 3002/3012, roulette 3003/3013, media
 * 3004/3014), two gateways (8080/8081, metrics 9464/9465), each gateway with both instances of each
 * service as upstreams, and every NATS_URL listing the three nodes. PostgreSQL at DATABASE_URL (or
 * the local one `npm start` uses). NATS_URL set: that cluster is used instead of starting one.
 *
 * A process that dies is not restarted and the others keep running (the fault tests kill some on
 * purpose); Ctrl-C or SIGTERM stops everything.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import {
  clusterPlan,
  ensureLocalInfra,
  findNatsServer,
  LocalInfraError,
  natsInstallHint,
  reachable,
  startLocalNatsCluster,
  type ClusterService,
  type LocalInfra,
  type LocalNatsCluster,
} from '@chatroulette/local-infra';
import { answers, devKey, lineFormatter, ownNatsUser, root, sayer, spawnService, stopChildren, type ServicePlan } from './service-processes.js';

const { say, fail } = sayer('cluster');
const formatLine = lineFormatter(fail);
const dataDir = path.join(root, '.data');
const children = new Map<string, ChildProcess>();
let stopping = false;
let nats: LocalNatsCluster | undefined;
let infra: LocalInfra | undefined;

const services: ClusterService[] = ['auth', 'messages', 'roulette', 'media'];
const urlsOf = (service: ClusterService) => clusterPlan.services[service].map((p) => `http://127.0.0.1:${p}`).join(',');

/** Every process of the plan, its port and its own variables (the shared ones are added at start). */
const plans: ServicePlan[] = [
  ...services.flatMap((service) =>
    clusterPlan.services[service].map((port, i) => ({
      name: `${service}-${i + 1}`,
      dir: service,
      port,
      env: { PORT: String(port), ...(service === 'auth' && devKey ? { AUTH_DEV_KEY: '1' } : {}) },
    })),
  ),
  ...clusterPlan.gateways.ports.map((port, i) => ({
    name: `gateway-${i + 1}`,
    dir: 'gateway',
    port,
    env: {
      PORT: String(port),
      METRICS_PORT: String(clusterPlan.gateways.metricsPorts[i]),
      AUTH_URL: urlsOf('auth'),
      MESSAGES_URL: urlsOf('messages'),
      ROULETTE_URL: urlsOf('roulette'),
      MEDIA_URL: urlsOf('media'),
    },
  })),
].map((plan) => ({ ...plan, env: { ...ownNatsUser(plan.dir, fail), ...plan.env } }));

process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

await refuseTakenPorts();
try {
  nats = process.env.NATS_URL ? undefined : await startNats();
  const natsUrl = process.env.NATS_URL || nats!.url;
  // NATS_URL is set from here on, so only PostgreSQL may be started for the run.
  infra = await ensureLocalInfra({ env: { ...process.env, NATS_URL: natsUrl }, dataDir, say });
} catch (e) {
  await nats?.stop();
  fail(e instanceof LocalInfraError ? e.message : `could not start a local server: ${(e as Error).message}`);
}
if (stopping) await stopInfra();
else startServices(infra!);

async function startNats(): Promise<LocalNatsCluster> {
  const binary = findNatsServer();
  if (!binary) throw new LocalInfraError(`No nats-server to run the cluster and NATS_URL is not set: ${natsInstallHint}.`);
  const cluster = await startLocalNatsCluster({ binary, dataDir: path.join(dataDir, 'nats-cluster'), ...clusterPlan.nats });
  say(`NATS cluster "${clusterPlan.nats.clusterName}" of ${cluster.nodes.length} nodes with JetStream: ${cluster.url} (stores in .data/nats-cluster/)`);
  return cluster;
}

function startServices({ natsUrl, databaseUrl }: LocalInfra) {
  const started = Date.now();
  if (devKey) say('auth signs tokens with a DEVELOPMENT key kept in its database (AUTH_DEV_KEY=1); set AUTH_PRIVATE_KEY or AUTH_PRIVATE_KEY_FILE for a real one');
  const shared = { NATS_URL: natsUrl, DATABASE_URL: databaseUrl, NATS_STREAM_REPLICAS: String(clusterPlan.streamReplicas) };
  for (const plan of plans) {
    const child = spawnService({ ...plan, env: { ...plan.env, ...shared } }, formatLine);
    children.set(plan.name, child);
    child.on('exit', (code, signal) => {
      children.delete(plan.name);
      if (!stopping) {
        say(`${plan.name} exited (${signal ?? code}); the others keep running (${children.size} left)`);
        if (children.size > 0) return;
        process.exitCode = 1;
        stopping = true;
      }
      if (children.size === 0) void stopInfra();
    });
  }
  void announce(started);
}

/** One line per process once its /healthz answers, then where the gateways listen. */
async function announce(started: number) {
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const ready = await Promise.all(
    plans.map(async (p) => {
      const up = await answers(p.port, () => stopping);
      if (up && p.dir !== 'gateway') say(`${p.name} ready on http://127.0.0.1:${p.port} (${seconds()})`);
      return up ? p : undefined;
    }),
  );
  const gateways = ready.filter((p) => p?.dir === 'gateway');
  if (gateways.length === 0) return;
  for (const g of gateways) say(`${g!.name} ready on http://localhost:${g!.port}: REST http://localhost:${g!.port}/api/v1, WebSocket ws://localhost:${g!.port}/api/v1/ws?token=<jwt> (${seconds()})`);
  say('both gateways serve the same users, chats and sockets; put a balancer in front, or use either   stop: Ctrl-C');
}

/** Every port of the plan must be free: a second cluster (or `npm start`) on them would half start. */
async function refuseTakenPorts() {
  const ports = [...(process.env.NATS_URL ? [] : [...clusterPlan.nats.clientPorts, ...clusterPlan.nats.routePorts]), ...plans.map((p) => p.port), ...clusterPlan.gateways.metricsPorts];
  const taken = (await Promise.all(ports.map(async (p) => ((await reachable(`http://127.0.0.1:${p}`, 500)) ? p : null)))).filter((p) => p !== null);
  if (taken.length > 0) fail(`something already listens on port${taken.length > 1 ? 's' : ''} ${taken.join(', ')} of 127.0.0.1: stop it (another start:cluster or npm start?) first`);
}

function stopAll() {
  const again = stopping;
  stopping = true;
  stopChildren(children, again, say, () => void stopInfra());
}

async function stopInfra() {
  const [pg, cluster] = [infra, nats];
  infra = undefined;
  nats = undefined;
  await Promise.allSettled([pg?.stop(), cluster?.stop()]);
  say('all stopped');
}
