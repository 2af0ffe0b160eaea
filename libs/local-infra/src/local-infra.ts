import path from 'node:path';
import { reachable } from './reachable.js';
import { startEmbeddedPostgres, type LocalServer } from './embedded-postgres.js';
import { findNatsServer, natsInstallHint, startLocalNats } from './local-nats.js';

export const defaultNatsUrl = 'nats://127.0.0.1:4222';
export const defaultDatabaseUrl = 'postgres://postgres@127.0.0.1:5432';

/** No NATS could be found or started: the message says how to get one. */
export class LocalInfraError extends Error {
  override name = 'LocalInfraError';
}

export interface LocalInfra {
  natsUrl: string;
  databaseUrl: string;
  /** Stops the servers started here (none when they were already running). */
  stop(): Promise<void>;
}

/**
 * NATS and PostgreSQL for local runs (`npm start`, the tests). A variable that is set is used as it
 * is: whoever configured it meant that server, and the service names it if it does not answer. When
 * a variable is not set and nothing answers at its default, a server is started: a nats-server from
 * PATH with JetStream, and the embedded PostgreSQL of the `embedded-postgres` package, their data
 * kept under `dataDir` across runs. `say` gets one line for each server started.
 */
export async function ensureLocalInfra(opts: {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  say: (line: string) => void;
  /** Where to look first, and where to start a server when nothing answers: the defaults unless a test says otherwise. */
  defaults?: { natsUrl: string; databaseUrl: string };
}): Promise<LocalInfra> {
  const natsDefault = opts.defaults?.natsUrl ?? defaultNatsUrl;
  const pgDefault = opts.defaults?.databaseUrl ?? defaultDatabaseUrl;
  const started: LocalServer[] = [];
  const stop = async () => void (await Promise.allSettled(started.splice(0).map((s) => s.stop())));
  try {
    const [natsUrl, databaseUrl] = await Promise.all([
      opts.env.NATS_URL || ((await reachable(natsDefault)) ? natsDefault : startNats()),
      opts.env.DATABASE_URL || ((await reachable(pgDefault)) ? pgDefault : startPostgres()),
    ]);
    return { natsUrl, databaseUrl, stop };
  } catch (e) {
    await stop();
    throw e;
  }

  async function startNats(): Promise<string> {
    const binary = findNatsServer();
    if (!binary) throw new LocalInfraError(`No NATS answers at ${natsDefault} and NATS_URL is not set: ${natsInstallHint}.`);
    const storeDir = path.join(opts.dataDir, 'nats');
    const server = await startLocalNats({ binary, storeDir, port: portOf(natsDefault) });
    started.push(server);
    opts.say(`no NATS at ${natsDefault}: started ${binary} -js on it (store ${path.relative(process.cwd(), storeDir) || storeDir})`);
    return server.url;
  }

  async function startPostgres(): Promise<string> {
    const dataDir = path.join(opts.dataDir, 'postgres');
    const server = await startEmbeddedPostgres({ dataDir, port: portOf(pgDefault) });
    started.push(server);
    opts.say(`no PostgreSQL at ${pgDefault}: started the embedded PostgreSQL on it (data ${path.relative(process.cwd(), dataDir) || dataDir})`);
    return server.url;
  }
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}
