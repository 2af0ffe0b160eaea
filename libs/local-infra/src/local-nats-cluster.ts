import path from 'node:path';
import { connect } from 'nats';
import type { LocalServer } from './embedded-postgres.js';
import { startLocalNats } from './local-nats.js';

export interface LocalNatsCluster {
  /** The nodes' client URLs joined by commas, as NATS_URL takes them. */
  url: string;
  nodes: (LocalServer & { name: string; dir: string })[];
  /** Stops every node still running. */
  stop(): Promise<void>;
}

export interface LocalNatsClusterOptions {
  binary: string;
  /** Each node's JetStream store is `<dataDir>/<node name>`. */
  dataDir: string;
  clientPorts: readonly number[];
  routePorts: readonly number[];
  clusterName: string;
  /** How long the cluster may take to elect its JetStream meta leader. */
  readyTimeoutMs?: number;
}

/**
 * nats-server nodes on 127.0.0.1 routed to each other into one JetStream cluster (nodes n1, n2, ...,
 * each in its own process group). Resolves once JetStream answers through every node, so a stream
 * created at once gets its replicas; on a failure the nodes started are stopped.
 */
export async function startLocalNatsCluster(opts: LocalNatsClusterOptions): Promise<LocalNatsCluster> {
  const nodes: LocalNatsCluster['nodes'] = [];
  const stop = async () => void (await Promise.allSettled(nodes.map((n) => n.stop())));
  try {
    const started = await Promise.all(
      opts.clientPorts.map(async (port, i) => {
        const name = `n${i + 1}`;
        const dir = path.join(opts.dataDir, name);
        const routes = opts.routePorts.filter((_, j) => j !== i).map((p) => `nats://127.0.0.1:${p}`);
        const args = ['-n', name, '--cluster_name', opts.clusterName, '--cluster', `nats://127.0.0.1:${opts.routePorts[i]}`, '--routes', routes.join(',')];
        const node = await startLocalNats({ binary: opts.binary, storeDir: dir, port, args });
        nodes.push({ ...node, name, dir });
        return node;
      }),
    );
    const urls = started.map((n) => n.url);
    await untilJetStreamEverywhere(urls, opts.readyTimeoutMs ?? 30_000);
    return { url: urls.join(','), nodes, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** JetStream answers through each node: the routes are up and the meta group has a leader. */
async function untilJetStreamEverywhere(urls: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (const url of urls) {
    for (;;) {
      try {
        const nc = await connect({ servers: url, timeout: 1000, reconnect: false });
        try {
          if ((nc.info?.connect_urls?.length ?? 0) < urls.length) throw new Error(`${url} does not route to every node yet`);
          await (await nc.jetstreamManager({ timeout: 1000 })).getAccountInfo();
        } finally {
          await nc.close();
        }
        break;
      } catch (e) {
        last = e;
        if (Date.now() > deadline) throw new Error(`the NATS cluster on ${urls.join(',')} has no JetStream after ${timeoutMs} ms: ${(last as Error).message}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }
}
