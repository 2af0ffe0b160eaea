import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { connect, type ConnectionOptions } from 'nats';
import { endChild, spawnChild, type Child } from './child-process.js';
import { findExecutable } from './find-executable.js';
import { waitUntil } from './wait-until.js';
import type { OwnServer } from './own-server.js';

export interface NatsNodeSpec {
  name: string;
  port: number;
  /** JetStream store; no JetStream when absent. */
  storeDir?: string;
  cluster?: { name: string; port: number; routes: number[] };
  /** The monitoring listener (`/varz`, `/jsz`) on 127.0.0.1; none when absent. */
  httpPort?: number;
  /** A configuration file included after these lines (e.g. deploy/nats/authorization.conf, its users). */
  include?: string;
  /** The server's environment beside the test's own: the variables an included file names (`$NATS_GATEWAY_PASSWORD`). */
  env?: Record<string, string>;
  /** Who the readiness check connects as, when the included file lets no anonymous client in. */
  readyAs?: NatsLoginOptions;
}

/** A user, password and reply inbox of nats.js's options. */
export type NatsLoginOptions = Pick<ConnectionOptions, 'user' | 'pass' | 'inboxPrefix'>;

/** One nats-server that a test owns, run from its own config file; restarts keep port, name and store. */
export interface NatsNode extends OwnServer {
  readonly name: string;
  start(): Promise<void>;
}

export function natsServerBinary(): string {
  return findExecutable(
    'nats-server',
    ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server'],
    'Install it (Debian: apt-get install nats-server) to run tests that own a NATS server.',
  );
}

/** The config file's text; `configFile` is where it is written (an include is relative to it: 2.9 reads no absolute include). */
export function natsConfig(spec: NatsNodeSpec, configFile = ''): string {
  const lines = [`server_name: ${JSON.stringify(spec.name)}`, `listen: "127.0.0.1:${spec.port}"`];
  if (spec.storeDir) lines.push(`jetstream { store_dir: ${JSON.stringify(spec.storeDir)} }`);
  if (spec.httpPort) lines.push(`http: "127.0.0.1:${spec.httpPort}"`);
  if (spec.cluster) {
    const routes = spec.cluster.routes.map((p) => `"nats-route://127.0.0.1:${p}"`).join(', ');
    lines.push(
      `cluster {`,
      `  name: ${JSON.stringify(spec.cluster.name)}`,
      `  listen: "127.0.0.1:${spec.cluster.port}"`,
      `  routes: [${routes}]`,
      `}`,
    );
  }
  if (spec.include) lines.push(`include ${JSON.stringify(path.relative(path.dirname(path.resolve(configFile)), path.resolve(spec.include)))}`);
  return lines.join('\n') + '\n';
}

/** Writes the config file; `start()` runs the server. `ready` decides when a started server counts as up. */
export function natsNode(
  spec: NatsNodeSpec,
  configFile: string,
  readyTimeoutMs: number,
  ready: (url: string) => Promise<boolean> = (url) => natsAnswers(url, spec.name, !!spec.storeDir, spec.readyAs),
): NatsNode {
  const binary = natsServerBinary();
  writeFileSync(configFile, natsConfig(spec, configFile));
  const url = `nats://127.0.0.1:${spec.port}`;
  let child: Child | undefined;

  const node: NatsNode = {
    name: spec.name,
    url,
    port: spec.port,
    get pid() {
      return child?.pid ?? -1;
    },
    get running() {
      return !!child?.running;
    },
    get output() {
      return child?.lines ?? [];
    },
    async start() {
      if (child?.running) return;
      const started = spawnChild(binary, ['-c', configFile], { maxLines: 2000, env: { ...process.env, ...spec.env } });
      child = started;
      await waitUntil(async () => ((await ready(url)) ? true : undefined), {
        what: `nats-server ${spec.name} on ${url}`,
        timeoutMs: readyTimeoutMs,
        child: started,
      }).catch(async (e: unknown) => {
        await endChild(started, 'SIGKILL');
        throw e;
      });
    },
    async shutdown() {
      if (child) await endChild(child, 'SIGTERM');
    },
    async kill() {
      if (child) await endChild(child, 'SIGKILL');
    },
    async restart() {
      await node.shutdown();
      await node.start();
    },
  };
  return node;
}

/**
 * True when the server named `name` takes a client at `url` (not another one that holds the port), and with
 * `jetstream`, when JetStream answers through it.
 */
export async function natsAnswers(url: string, name: string, jetstream: boolean, as: NatsLoginOptions = {}): Promise<boolean> {
  const nc = await connect({ servers: url, timeout: 1000, reconnect: false, ...as });
  try {
    if (nc.info?.server_name !== name) return false;
    if (jetstream) await nc.jetstreamManager({ timeout: 1000 });
    return true;
  } finally {
    await nc.close();
  }
}
