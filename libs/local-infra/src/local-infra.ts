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
  // allSettled: a server that started while the other failed is stopped too, not left behind.
  const [nats, postgres] = await Promise.allSettled([
    (async () => opts.env.NATS_URL || ((await reachable(natsDefault)) ? natsDefault : startNats()))(),
    (async () => opts.env.DATABASE_URL || ((await reachable(pgDefault)) ? pgDefault : startPostgres()))(),
  ]);
  if (nats.status === 'rejected' || postgres.status === 'rejected') {
    await stop();
    throw nats.status === 'rejected' ? nats.reason : (postgres as PromiseRejectedResult).reason;
  }
  return { natsUrl: nats.value, databaseUrl: postgres.value, stop };

  async function startNats(): Promise<string> {
    const server = await startDefaultNats(opts.dataDir, { url: natsDefault });
    started.push(server);
    opts.say(`no NATS at ${natsDefault}: started ${server.binary} -js on it (store ${shown(server.dir)})`);
    return server.url;
  }

  async function startPostgres(): Promise<string> {
    const server = await startDefaultPostgres(opts.dataDir, { url: pgDefault });
    started.push(server);
    opts.say(`no PostgreSQL at ${pgDefault}: started the embedded PostgreSQL on it (data ${shown(server.dir)})`);
    return server.url;
  }
}

const shown = (dir: string) => path.relative(process.cwd(), dir) || dir;

/** `nats-server -js` from PATH on the port of `url` (the default's), its store in `dataDir`/nats; a LocalInfraError without one. */
export async function startDefaultNats(dataDir: string, opts: { url?: string } = {}): Promise<LocalServer & { binary: string; dir: string }> {
  const url = opts.url ?? defaultNatsUrl;
  const binary = findNatsServer();
  if (!binary) throw new LocalInfraError(`No NATS answers at ${url} and NATS_URL is not set: ${natsInstallHint}.`);
  const dir = path.join(dataDir, 'nats');
  return { ...(await startLocalNats({ binary, storeDir: dir, port: portOf(url) })), binary, dir };
}

/** The embedded PostgreSQL on the port of `url` (the default's), its data in `dataDir`/postgres (`throwaway`: never synced). */
export async function startDefaultPostgres(dataDir: string, opts: { url?: string; throwaway?: boolean } = {}): Promise<LocalServer & { dir: string }> {
  const dir = path.join(dataDir, 'postgres');
  const port = portOf(opts.url ?? defaultDatabaseUrl);
  return { ...(await startEmbeddedPostgres({ dataDir: dir, port, throwaway: opts.throwaway })), dir };
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}
