import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  defaultDatabaseUrl,
  defaultNatsUrl,
  reachable,
  startDefaultNats,
  startDefaultPostgres,
  type LocalServer,
} from '@chatroulette/local-infra';
import { forgetDir, forgetProcess, reapDir, reapProcess } from './reaper.js';

export { reachable };

export interface TestInfra {
  natsUrl: string;
  databaseUrl: string;
  /** Stops what this run started (local servers, containers); nothing when the servers were already there. */
  stop(): Promise<void>;
}

type Found = { natsUrl?: string; databaseUrl?: string; stop(): Promise<void> };

/**
 * Finds NATS and PostgreSQL for the tests, each on its own, in this order:
 * 1. the server at NATS_URL / DATABASE_URL (or its default when not set) when it answers;
 * 2. when the variable is not set, the same local server `npm start` would start on the default port
 *    (a nats-server from PATH, the embedded PostgreSQL), its data in a temp dir removed after the run;
 * 3. a container through testcontainers where Docker runs;
 * 4. else an error that says what to start.
 */
export async function findTestInfra(
  env: NodeJS.ProcessEnv = process.env,
  opts: {
    say?: (line: string) => void;
    /** Where to look, and to start a local server: the defaults of `npm start` unless a test says otherwise. */
    defaults?: { natsUrl: string; databaseUrl: string };
  } = {},
): Promise<TestInfra> {
  const say = opts.say ?? ((line: string) => console.log(`[tests] ${line}`));
  const natsDefault = opts.defaults?.natsUrl ?? defaultNatsUrl;
  const pgDefault = opts.defaults?.databaseUrl ?? defaultDatabaseUrl;
  const natsWanted = env.NATS_URL || natsDefault;
  const pgWanted = env.DATABASE_URL || pgDefault;
  const [natsUp, pgUp] = await Promise.all([reachable(natsWanted), reachable(pgWanted)]);
  let natsUrl = natsUp ? natsWanted : undefined;
  let databaseUrl = pgUp ? pgWanted : undefined;
  const started: Found[] = [];
  const stopAll = async () => void (await Promise.allSettled(started.splice(0).reverse().map((s) => s.stop())));
  const why: string[] = [];

  const localNats = !natsUrl && !env.NATS_URL;
  const localPg = !databaseUrl && !env.DATABASE_URL;
  if (localNats || localPg) {
    const local = await startLocalServers({ nats: localNats && natsDefault, postgres: localPg && pgDefault, say });
    started.push(local);
    natsUrl ??= local.natsUrl;
    databaseUrl ??= local.databaseUrl;
    why.push(...local.errors);
  }

  if (!natsUrl || !databaseUrl) {
    try {
      const containers = await startContainers(natsUrl ? undefined : 'nats', databaseUrl ? undefined : 'postgres');
      started.push(containers);
      natsUrl ??= containers.natsUrl;
      databaseUrl ??= containers.databaseUrl;
    } catch (e) {
      await stopAll();
      const missing = [natsUrl ? '' : `NATS with JetStream at ${natsWanted}`, databaseUrl ? '' : `PostgreSQL at ${pgWanted}`]
        .filter(Boolean)
        .join(' and ');
      throw new Error(
        `Tests need ${missing}. Start them (see README: "Running the tests"), set NATS_URL / DATABASE_URL, ` +
          `or run Docker so testcontainers can start them. (${[...why, `testcontainers: ${(e as Error).message}`].join('; ')})`,
      );
    }
  }
  return { natsUrl: natsUrl!, databaseUrl: databaseUrl!, stop: stopAll };
}

/**
 * The local servers of `npm start` (libs/local-infra) on the default ports, in one temp dir. Their pids
 * and the dir go to the reaper, so they are killed and removed even when the test run itself is killed.
 */
async function startLocalServers(want: { nats: string | false; postgres: string | false; say: (line: string) => void }): Promise<Found & { errors: string[] }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chatroulette-test-infra-'));
  // mkdtemp makes it 0700: as root, PostgreSQL runs as the postgres OS user and must reach its data dir inside.
  chmodSync(dir, 0o755);
  reapDir(dir);
  const [nats, postgres] = await Promise.allSettled([
    want.nats ? startDefaultNats(dir, { url: want.nats }) : undefined,
    want.postgres ? startDefaultPostgres(dir, { url: want.postgres, throwaway: true }) : undefined,
  ]);
  const servers = [nats, postgres].flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
  for (const s of servers) reapProcess(s.pid);
  const errors = [nats, postgres].flatMap((r) => (r.status === 'rejected' ? [`local server: ${(r.reason as Error).message}`] : []));
  if (nats.status === 'fulfilled' && nats.value) want.say(`no NATS at ${want.nats}: started ${nats.value.binary} -js on it for this run (${dir})`);
  if (postgres.status === 'fulfilled' && postgres.value) want.say(`no PostgreSQL at ${want.postgres}: started the embedded PostgreSQL on it for this run (${dir})`);
  return {
    natsUrl: nats.status === 'fulfilled' ? nats.value?.url : undefined,
    databaseUrl: postgres.status === 'fulfilled' ? postgres.value?.url : undefined,
    errors,
    stop: async () => {
      await Promise.allSettled(servers.map((s: LocalServer) => s.stop()));
      for (const s of servers) forgetProcess(s.pid);
      rmSync(dir, { recursive: true, force: true });
      forgetDir(dir);
    },
  };
}

async function startContainers(nats?: 'nats', postgres?: 'postgres'): Promise<Found> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const started: { stop(): Promise<unknown> }[] = [];
  const stop = async () => void (await Promise.allSettled(started.map((c) => c.stop())));
  let natsUrl: string | undefined;
  let databaseUrl: string | undefined;
  try {
    if (nats) {
      const c = await new GenericContainer('nats:2.10').withCommand(['-js']).withExposedPorts(4222).start();
      started.push(c);
      natsUrl = `nats://${c.getHost()}:${c.getMappedPort(4222)}`;
    }
    if (postgres) {
      const c = await new GenericContainer('postgres:15')
        .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
        .withExposedPorts(5432)
        .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
        .start();
      started.push(c);
      databaseUrl = `postgres://postgres@${c.getHost()}:${c.getMappedPort(5432)}`;
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { natsUrl, databaseUrl, stop };
}
