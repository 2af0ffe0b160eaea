import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * One watchdog process per test process: it learns the pids and temp dirs of what the tests start, and
 * when its stdin closes because the test process is gone (however it ended: a vitest worker is often
 * killed, when no 'exit' handler runs) it SIGKILLs those processes and removes those dirs.
 */
const WATCHDOG = `
const pids = new Set(), dirs = new Set();
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  buf += d;
  for (let i; (i = buf.indexOf('\\n')) >= 0; ) {
    const line = buf.slice(0, i); buf = buf.slice(i + 1);
    const sp = line.indexOf(' '), op = line.slice(0, sp), arg = line.slice(sp + 1);
    if (op === '+pid') pids.add(Number(arg)); else if (op === '-pid') pids.delete(Number(arg));
    else if (op === '+dir') dirs.add(arg); else if (op === '-dir') dirs.delete(arg);
  }
});
process.stdin.on('end', () => {
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
  // Give killed servers a moment to let go of their files.
  setTimeout(() => {
    for (const dir of dirs) { try { require('node:fs').rmSync(dir, { recursive: true, force: true }); } catch {} }
  }, dirs.size && pids.size ? 500 : 0);
});
`;

let watchdog: ChildProcess | undefined;
const pids = new Set<number>();
const dirs = new Set<string>();

function send(line: string) {
  if (!watchdog) {
    watchdog = spawn(process.execPath, ['-e', WATCHDOG], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    watchdog.on('error', () => undefined);
    watchdog.stdin!.on('error', () => undefined);
    watchdog.unref();
    // The pipe must not keep the test process alive.
    (watchdog.stdin as unknown as { unref?: () => void }).unref?.();
    // A normal exit: do it at once, without waiting for the watchdog.
    process.once('exit', () => {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });
  }
  watchdog.stdin!.write(`${line}\n`);
}

export function reapProcess(pid: number | undefined) {
  if (pid === undefined) return;
  pids.add(pid);
  send(`+pid ${pid}`);
}

export function forgetProcess(pid: number | undefined) {
  if (pid === undefined || !pids.delete(pid)) return;
  send(`-pid ${pid}`);
}

export function reapDir(dir: string) {
  dirs.add(dir);
  send(`+dir ${dir}`);
}

export function forgetDir(dir: string) {
  if (!dirs.delete(dir)) return;
  send(`-dir ${dir}`);
}
