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
export async function ensureLocalInfra(opts: { env: NodeJS.ProcessEnv; dataDir: string; say: (line: string) => void }): Promise<LocalInfra> {
  const started: LocalServer[] = [];
  const stop = async () => void (await Promise.allSettled(started.splice(0).map((s) => s.stop())));
  // allSettled: a server that started while the other failed is stopped too, not left behind.
  const [nats, postgres] = await Promise.allSettled([
    (async () => opts.env.NATS_URL || ((await reachable(defaultNatsUrl)) ? defaultNatsUrl : startNats()))(),
    (async () => opts.env.DATABASE_URL || ((await reachable(defaultDatabaseUrl)) ? defaultDatabaseUrl : startPostgres()))(),
  ]);
  if (nats.status === 'rejected' || postgres.status === 'rejected') {
    await stop();
    throw nats.status === 'rejected' ? nats.reason : (postgres as PromiseRejectedResult).reason;
  }
  return { natsUrl: nats.value, databaseUrl: postgres.value, stop };

  async function startNats(): Promise<string> {
    const server = await startDefaultNats(opts.dataDir);
    started.push(server);
    opts.say(`no NATS at ${defaultNatsUrl}: started ${server.binary} -js on it (store ${shown(server.dir)})`);
    return server.url;
  }

  async function startPostgres(): Promise<string> {
    const server = await startDefaultPostgres(opts.dataDir);
    started.push(server);
    opts.say(`no PostgreSQL at ${defaultDatabaseUrl}: started the embedded PostgreSQL on it (data ${shown(server.dir)})`);
    return server.url;
  }
}

const shown = (dir: string) => path.relative(process.cwd(), dir) || dir;

/** `nats-server -js` from PATH on the default port, its store in `dataDir`/nats; a LocalInfraError without one. */
export async function startDefaultNats(dataDir: string): Promise<LocalServer & { binary: string; dir: string }> {
  const binary = findNatsServer();
  if (!binary) throw new LocalInfraError(`No NATS answers at ${defaultNatsUrl} and NATS_URL is not set: ${natsInstallHint}.`);
  const dir = path.join(dataDir, 'nats');
  return { ...(await startLocalNats({ binary, storeDir: dir, port: 4222 })), binary, dir };
}

/** The embedded PostgreSQL on the default port, its data in `dataDir`/postgres (`throwaway`: never synced). */
export async function startDefaultPostgres(dataDir: string, opts: { throwaway?: boolean } = {}): Promise<LocalServer & { dir: string }> {
  const dir = path.join(dataDir, 'postgres');
  return { ...(await startEmbeddedPostgres({ dataDir: dir, port: 5432, throwaway: opts.throwaway })), dir };
}
