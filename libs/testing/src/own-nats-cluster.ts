import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'nats';
import { freePort } from './free-port.js';
import { natsAnswers, natsNode, type NatsNode } from './nats-node.js';
import { forgetDir, reapDir } from './reaper.js';
import { waitUntil } from './wait-until.js';

export interface OwnNatsClusterOptions {
  /** Default true. */
  jetstream?: boolean;
  readyTimeoutMs?: number;
}

/** Servers on 127.0.0.1 routed into one cluster (a JetStream cluster by default), each with its own store. */
export interface OwnNatsCluster {
  /** One URL a node; pass them all to `connect({ servers })`. */
  readonly urls: string[];
  /** The URLs joined by commas, as NATS_URL takes them. */
  readonly url: string;
  readonly nodes: NatsNode[];
  /** Each node's monitoring base URL (http://127.0.0.1:<port>: /varz, /jsz). */
  readonly monitorUrls: string[];
  /** Ends every node and removes the temp dir. */
  stop(): Promise<void>;
}

export async function startOwnNatsCluster(size = 3, opts: OwnNatsClusterOptions = {}): Promise<OwnNatsCluster> {
  const jetstream = opts.jetstream ?? true;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 20_000;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'own-nats-cluster-'));
  reapDir(workDir);
  const nodes: NatsNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.shutdown()));
    rmSync(workDir, { recursive: true, force: true });
    forgetDir(workDir);
  };
  try {
    const clientPorts = await distinctFreePorts(size, []);
    const routePorts = await distinctFreePorts(size, clientPorts);
    const httpPorts = await distinctFreePorts(size, [...clientPorts, ...routePorts]);
    const clusterName = `own-${path.basename(workDir).slice(-6)}`;
    for (let i = 0; i < size; i++) {
      const name = `n${i + 1}`;
      nodes.push(
        natsNode(
          {
            name,
            port: clientPorts[i]!,
            storeDir: jetstream ? path.join(workDir, name) : undefined,
            cluster: { name: clusterName, port: routePorts[i]!, routes: routePorts.filter((_, j) => j !== i) },
            httpPort: httpPorts[i]!,
          },
          path.join(workDir, `${name}.conf`),
          readyTimeoutMs,
          // A node alone cannot answer JetStream until a meta leader is elected: a connection is enough here.
          (url) => natsAnswers(url, name, false),
        ),
      );
    }
    await Promise.all(nodes.map((n) => n.start()));
    const urls = nodes.map((n) => n.url);
    await waitUntil(() => clusterFormed(urls, size, jetstream), {
      what: `NATS cluster of ${size} on ${urls.join(',')}`,
      timeoutMs: readyTimeoutMs,
      intervalMs: 200,
    });
    return { urls, url: urls.join(','), nodes, monitorUrls: httpPorts.map((p) => `http://127.0.0.1:${p}`), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Every node routes to all others, and with JetStream, the meta group has a leader and all peers. */
async function clusterFormed(urls: string[], size: number, jetstream: boolean): Promise<true | undefined> {
  for (const url of urls) {
    const nc = await connect({ servers: url, timeout: 1000, reconnect: false });
    try {
      const servers = nc.info?.connect_urls?.length ?? 0;
      // connect_urls lists the client URLs of the cluster's servers once routes are up.
      if (servers < size) return undefined;
      if (jetstream) {
        const jsm = await nc.jetstreamManager({ timeout: 1000 });
        await jsm.getAccountInfo();
      }
    } finally {
      await nc.close();
    }
  }
  return true;
}

async function distinctFreePorts(n: number, taken: number[]): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < n) {
    const p = await freePort();
    if (!ports.includes(p) && !taken.includes(p)) ports.push(p);
  }
  return ports;
}
