/**
 * What `npm start` and `npm run start:cluster` share: each service as a child process in its own
 * process group with its output prefixed and made readable, a wait for its /healthz, the common
 * checks of the environment, and the stop of every child (SIGTERM, then SIGKILL after 12 s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ConfigError, natsEnvForService } from '@chatroulette/config';
import { logFormat, prettyLine } from '@chatroulette/logger';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One service process to run: `dir` is its folder under services/, `name` prefixes its output. */
export interface ServicePlan {
  name: string;
  dir: string;
  port: number;
  env: NodeJS.ProcessEnv;
}

export function sayer(tag: string) {
  return {
    say: (line: string) => console.log(`[${tag}] ${line}`),
    fail: (line: string): never => {
      console.error(`[${tag}] ${line}`);
      process.exit(1);
    },
  };
}

/** The services write JSON; on a terminal (or with LOG_FORMAT=pretty) this makes it readable. */
export function lineFormatter(fail: (line: string) => never): (line: string) => string {
  const format = logFormat(process.env.LOG_FORMAT, process.stdout.isTTY === true) ?? fail('LOG_FORMAT must be json or pretty');
  return format === 'pretty' ? prettyLine(process.stdout.isTTY === true) : (line: string) => line;
}

/** Without a configured signing key, auth runs on its development key (auth refuses that unless told). */
export const devKey = !process.env.AUTH_PRIVATE_KEY && !process.env.AUTH_PRIVATE_KEY_FILE;

/** A service's own NATS user (NATS_<SERVICE>_USER/_PASSWORD) in place of the common credentials, checked before anything starts. */
export function ownNatsUser(dir: string, fail: (line: string) => never): NodeJS.ProcessEnv {
  try {
    return natsEnvForService(dir, process.env);
  } catch (e) {
    return fail(e instanceof ConfigError ? e.message : String(e));
  }
}

/**
 * Starts `services/<dir>/src/main.ts` with `env` (and LOG_FORMAT=json: this script formats), its
 * lines on stdout prefixed with `[name]`. In its own process group: Ctrl-C reaches only the script,
 * which stops each service once, with SIGTERM.
 */
export function spawnService(svc: ServicePlan, formatLine: (line: string) => string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'services', svc.dir, 'src/main.ts')], {
    cwd: root,
    env: { ...svc.env, LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${svc.name}] ${formatLine(line)}\n`));
  }
  return child;
}

/** True once http://127.0.0.1:<port>/healthz answers 200 (within a minute, unless `stopping()`). */
export async function answers(port: number, stopping: () => boolean): Promise<boolean> {
  for (let i = 0; i < 240 && !stopping(); i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * Ctrl-C or SIGTERM: the first one stops every child (SIGTERM, SIGKILL to those still there after
 * 12 s: runService's own limit is 10 s), a second one (`again`) kills them at once. `whenNone` runs
 * at once when no child is left (otherwise the scripts run it when the last one exits).
 */
export function stopChildren(children: Map<string, ChildProcess>, again: boolean, say: (line: string) => void, whenNone: () => void): void {
  if (again) {
    for (const child of children.values()) child.kill('SIGKILL');
    return;
  }
  say('stopping every process (Ctrl-C again to force)');
  const all = [...children.values()];
  for (const child of all) child.kill('SIGTERM');
  setTimeout(() => {
    for (const child of all) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, 12_000).unref();
  if (children.size === 0) whenNone();
}

export function readPort(name: string, def: number, fail: (line: string) => never): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return def;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > 65535) fail(`${name} must be a port number from 1 to 65535, got "${raw}"`);
  return n;
}
