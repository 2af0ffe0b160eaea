import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { createInterface } from 'node:readline';
import { createWriteStream } from 'node:fs';
import { sleep } from './clock.js';
import { hardOpenFileLimit } from './proc.js';

export interface Proc {
  name: string;
  pid: number;
  child: ChildProcess;
  /** The last lines the process printed, for error messages. */
  tail: string[];
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx <file>` as a child process, through prlimit(1) so its open-file limit
 * can be raised (prlimit execs node: the pid we get is node's, so its CPU can be read from /proc).
 */
export function spawnNode(
  name: string,
  file: string,
  env: Record<string, string>,
  opts: { cwd: string; openFiles?: number; nodeArgs?: string[]; onLine?: (line: string) => void; logFile?: string },
): Proc {
  const nodeArgs = ['--import', 'tsx', ...(opts.nodeArgs ?? []), file];
  // Without CAP_SYS_RESOURCE (containers) prlimit cannot go past the hard limit: clamp to it.
  const openFiles = opts.openFiles ? Math.min(opts.openFiles, hardOpenFileLimit()) : 0;
  const [cmd, args] = openFiles
    ? ['prlimit', [`--nofile=${openFiles}:${openFiles}`, '--', process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const child = spawn(cmd, args as string[], {
    cwd: opts.cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const logStream = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : null;
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      logStream?.write(`${line}\n`);
      opts.onLine?.(line);
    });
  }
  const proc: Proc = {
    name,
    pid: child.pid!,
    child,
    tail,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const exited = await Promise.race([
        new Promise<boolean>((r) => child.once('exit', () => r(true))),
        sleep(8000).then(() => false),
      ]);
      if (!exited) child.kill('SIGKILL');
    },
  };
  return proc;
}

/** Resolves with the first stdout/stderr line matching `re`; rejects when the process exits first. */
export function waitForLine(proc: Proc, re: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    for (const line of proc.tail) {
      const m = re.exec(line);
      if (m) return resolve(m);
    }
    const timer = setTimeout(() => done(new Error(`${proc.name}: no ${re} in ${timeoutMs} ms\n${proc.tail.join('\n')}`)), timeoutMs);
    const rls = [proc.child.stdout!, proc.child.stderr!].map((s) => createInterface({ input: s }));
    const onExit = (code: number | null) => done(new Error(`${proc.name} exited (${code})\n${proc.tail.join('\n')}`));
    function done(err: Error | null, m?: RegExpExecArray) {
      clearTimeout(timer);
      for (const rl of rls) rl.close();
      proc.child.off('exit', onExit);
      if (err) reject(err);
      else resolve(m!);
    }
    for (const rl of rls) {
      rl.on('line', (line) => {
        const m = re.exec(line);
        if (m) done(null, m);
      });
    }
    proc.child.once('exit', onExit);
  });
}

/** Waits until `url` answers 2xx (or, with no url, until the port accepts TCP); fails if the process exits. */
export async function waitReady(proc: Proc, port: number, url?: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited (${proc.child.exitCode})\n${proc.tail.join('\n')}`);
    if (url) {
      try {
        const res = await fetch(url);
        // 404: the server answers but has no health route; 503 means not ready yet.
        if (res.ok || res.status === 404) return;
      } catch {
        // not yet
      }
    } else if (await portOpen(port)) return;
    await sleep(200);
  }
  throw new Error(`${proc.name} not ready on port ${port} after ${timeoutMs} ms\n${proc.tail.join('\n')}`);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
