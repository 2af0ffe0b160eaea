import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';
import { natsNode, type NatsLoginOptions } from './nats-node.js';
import { forgetDir, reapDir } from './reaper.js';
import type { OwnServer } from './own-server.js';

export interface OwnNatsOptions {
  /** Default true. */
  jetstream?: boolean;
  /** Default: a new temp dir, removed by stop(). A dir passed here is the caller's and never removed. */
  storeDir?: string;
  /** Default: a free port from the OS. */
  port?: number;
  /** Keep the temp store dir after stop() (to start another server on it); the caller removes it then. */
  keepStore?: boolean;
  readyTimeoutMs?: number;
  /**
   * A configuration file of the deployment's included after the test's own lines (its listen and
   * store): `ownNatsWithUsers` includes deploy/nats/authorization.conf this way.
   */
  include?: string;
  /** The server's environment (the password variables the included file names). */
  env?: Record<string, string>;
  /** Who the readiness check connects as when the included file lets no anonymous client in. */
  readyAs?: NatsLoginOptions;
}

/** A nats-server of one test, on its own port and store: never the shared one on 4222. */
export interface OwnNats extends OwnServer {
  readonly storeDir: string;
  /** Ends the server and removes its temp dirs (unless keepStore or a storeDir of the caller's). */
  stop(): Promise<void>;
}

export async function startOwnNats(opts: OwnNatsOptions = {}): Promise<OwnNats> {
  const jetstream = opts.jetstream ?? true;
  // The config's dir always goes at stop(); the store's only when it is ours and not kept.
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'own-nats-'));
  const storeDir = opts.storeDir ?? mkdtempSync(path.join(os.tmpdir(), 'own-nats-store-'));
  const ownStore = !opts.storeDir;
  reapDir(workDir);
  if (ownStore) reapDir(storeDir);
  const cleanUp = () => {
    rmSync(workDir, { recursive: true, force: true });
    forgetDir(workDir);
    if (ownStore && !opts.keepStore) rmSync(storeDir, { recursive: true, force: true });
    forgetDir(storeDir);
  };
  try {
    const port = opts.port ?? (await freePort());
    const node = natsNode(
      {
        name: `own-nats-${port}-${path.basename(workDir).slice(-6)}`,
        port,
        storeDir: jetstream ? storeDir : undefined,
        include: opts.include,
        env: opts.env,
        readyAs: opts.readyAs,
      },
      path.join(workDir, 'nats.conf'),
      opts.readyTimeoutMs ?? 10_000,
    );
    await node.start();
    return {
      url: node.url,
      port,
      storeDir,
      get pid() {
        return node.pid;
      },
      get running() {
        return node.running;
      },
      get output() {
        return node.output;
      },
      async stop() {
        await node.shutdown();
        cleanUp();
      },
      kill: node.kill,
      shutdown: node.shutdown,
      restart: node.restart,
    };
  } catch (e) {
    cleanUp();
    throw e;
  }
}
