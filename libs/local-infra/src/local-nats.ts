import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { reachable } from './reachable.js';
import type { LocalServer } from './embedded-postgres.js';

/** Where nats-server is looked for besides PATH (Debian's package puts it in /usr/sbin). */
const NATS_DIRS = ['/usr/sbin', '/usr/local/bin', '/usr/bin'];

/** The nats-server binary, or null when none is installed. */
export function findNatsServer(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...NATS_DIRS];
  for (const dir of dirs) {
    const file = path.join(dir, 'nats-server');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** How to get a nats-server, for the one line printed when there is none. */
export const natsInstallHint =
  'install nats-server (Debian/Ubuntu: apt-get install nats-server; macOS: brew install nats-server; or a release from the NATS project), set NATS_URL, or run everything with `docker compose up --build`';

/**
 * `nats-server -js` on 127.0.0.1:`port`, its JetStream store in `storeDir` (kept across runs);
 * `args` go after those (a node's name and cluster flags).
 */
export async function startLocalNats(opts: { binary: string; storeDir: string; port: number; args?: string[] }): Promise<LocalServer> {
  mkdirSync(opts.storeDir, { recursive: true });
  const child = spawn(opts.binary, ['-js', '-a', '127.0.0.1', '-p', String(opts.port), '-sd', opts.storeDir, ...(opts.args ?? [])], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches the script, which stops the server last.
    detached: true,
  });
  const output: string[] = [];
  child.stderr!.on('data', (d: Buffer) => void output.push(d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `nats://127.0.0.1:${opts.port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    if (await reachable(url, 200)) {
      return {
        url,
        pid: child.pid!,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`nats-server did not start on port ${opts.port}: ${output.join('').trim().slice(-500)}`);
}
