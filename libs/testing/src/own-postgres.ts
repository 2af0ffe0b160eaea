import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describeExit, endChild, spawnChild, tail, type Child } from './child-process.js';
import { findExecutable } from './find-executable.js';
import { freePort } from './free-port.js';
import { descendants, signalAll, waitForExit } from './proc-tree.js';
import { forgetDir, reapDir } from './reaper.js';
import { waitUntil } from './wait-until.js';
import type { OwnServer } from './own-server.js';

export interface OwnPostgresOptions {
  /** Default: a free port from the OS. */
  port?: number;
  readyTimeoutMs?: number;
}

/** A PostgreSQL server of one test, in a temp data dir on its own port: never the shared one on 5432. */
export interface OwnPostgres extends OwnServer {
  /** postgres://postgres@127.0.0.1:<port> (trust auth), a server URL as DATABASE_URL takes it. */
  readonly url: string;
  readonly dataDir: string;
  /** Ends the server and removes the data dir. */
  stop(): Promise<void>;
  /** Freezes the postmaster and its backends (SIGSTOP) for `ms`: connections hang, then go on (SIGCONT). */
  pause(ms: number): Promise<void>;
}

const PG_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin', '/usr/local/pgsql/bin'];

export async function startOwnPostgres(opts: OwnPostgresOptions = {}): Promise<OwnPostgres> {
  const bin = postgresBinaries();
  const user = postgresUser();
  const readyTimeoutMs = opts.readyTimeoutMs ?? 15_000;
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'own-pg-'));
  const dataDir = path.join(baseDir, 'data');
  // Run as the postgres OS user when we are root (postgres refuses root); its env carries no PG* variables.
  const runAs = { ...(user ?? {}), cwd: baseDir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' } };
  if (user) chownSync(baseDir, user.uid, user.gid);

  let child: Child | undefined;
  let orphans: number[] = [];
  reapDir(baseDir);
  const removeAll = () => {
    rmSync(baseDir, { recursive: true, force: true });
    forgetDir(baseDir);
  };

  try {
    const port = opts.port ?? (await freePort());
    const url = `postgres://postgres@127.0.0.1:${port}`;
    const initdb = spawnChild(
      bin.initdb,
      ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      runAs,
    );
    const done = await initdb.exited;
    if (done.code !== 0) throw new Error(`initdb ${describeExit(done)}:\n${tail(initdb.lines)}`);

    const settings = {
      listen_addresses: '127.0.0.1',
      port: String(port),
      unix_socket_directories: baseDir,
      fsync: 'off',
      full_page_writes: 'off',
      shared_buffers: '16MB',
      max_connections: '50',
    };
    const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];

    const start = async () => {
      if (child?.running) return;
      await waitForExit(orphans, 'postgres');
      orphans = [];
      const started = spawnChild(bin.postgres, args, { ...runAs, maxLines: 2000 });
      child = started;
      await waitUntil(() => answers(url, dataDir), { what: `postgres on ${url}`, timeoutMs: readyTimeoutMs, child: started }).catch(
        async (e: unknown) => {
          await endChild(started, 'SIGKILL');
          throw e;
        },
      );
    };
    // SIGINT is PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit.
    const shutdown = async () => {
      if (child) await endChild(child, 'SIGINT', 10_000);
    };
    // Backends of a killed postmaster notice its death and exit; a new postmaster refuses to start while one
    // still holds the old shared memory, so start() and stop() wait for them.
    const kill = async () => {
      if (!child?.running) return;
      orphans = descendants(child.pid);
      await endChild(child, 'SIGKILL');
    };

    await start();
    return {
      url,
      port,
      dataDir,
      get pid() {
        return child?.pid ?? -1;
      },
      get running() {
        return !!child?.running;
      },
      get output() {
        return child?.lines ?? [];
      },
      async stop() {
        await shutdown();
        await waitForExit(orphans, 'postgres');
        removeAll();
      },
      kill,
      shutdown,
      async restart() {
        await shutdown();
        await start();
      },
      async pause(ms) {
        if (!child?.running) throw new Error('pause: the own postgres is not running');
        const pids = [child.pid, ...descendants(child.pid)];
        signalAll(pids, 'SIGSTOP');
        try {
          await new Promise((r) => setTimeout(r, ms));
        } finally {
          signalAll(pids, 'SIGCONT');
        }
      },
    };
  } catch (e) {
    if (child) await endChild(child, 'SIGKILL');
    await waitForExit(orphans, 'postgres');
    removeAll();
    throw e;
  }
}

function postgresBinaries() {
  const hint = 'Install PostgreSQL (Debian: apt-get install postgresql-15) to run tests that own a PostgreSQL server.';
  const candidates = (name: string) => PG_DIRS.map((dir) => path.join(dir, name));
  return {
    initdb: findExecutable('initdb', candidates('initdb'), hint),
    postgres: findExecutable('postgres', candidates('postgres'), hint),
  };
}

/** The postgres OS user's ids when we are root; undefined when we already are an unprivileged user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('Running as root, and there is no "postgres" OS user to run PostgreSQL as (postgres refuses root).');
  }
}

/** True once our server answers at `url` (not another one that holds the port). */
async function answers(url: string, dataDir: string): Promise<true | undefined> {
  const client = new pg.Client({ connectionString: `${url}/postgres`, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>('show data_directory');
    return rows[0]?.data_directory === dataDir ? true : undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
