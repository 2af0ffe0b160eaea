import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';
import { forgetProcess, reapProcess } from './reaper.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  error?: Error;
}

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  /** stdout and stderr, one entry a line, in arrival order (the oldest dropped past `maxLines`). */
  readonly lines: string[];
  readonly exited: Promise<ExitInfo>;
  readonly running: boolean;
}

export interface SpawnChildOptions extends Omit<SpawnOptions, 'stdio'> {
  maxLines?: number;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** Spawns a process with piped output, keeps its lines, and resolves `exited` once (never rejects). */
export function spawnChild(command: string, args: string[], options: SpawnChildOptions = {}): Child {
  const { maxLines = 5000, onLine, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
  // Killed with the test process however that ends, so a crashed test file leaves no server behind.
  reapProcess(child.pid);
  const lines: string[] = [];
  let running = true;
  const keep = (stream: 'stdout' | 'stderr') => (line: string) => {
    lines.push(line);
    if (lines.length > maxLines) lines.splice(0, lines.length - maxLines);
    onLine?.(line, stream);
  };
  createInterface({ input: child.stdout! }).on('line', keep('stdout'));
  createInterface({ input: child.stderr! }).on('line', keep('stderr'));
  const exited = new Promise<ExitInfo>((resolve) => {
    const done = (info: ExitInfo) => {
      running = false;
      forgetProcess(child.pid);
      resolve(info);
    };
    child.once('error', (error) => done({ code: null, signal: null, error }));
    // 'close' comes after the output streams end, so `lines` is complete by then.
    child.once('close', (code, signal) => done({ code, signal }));
  });
  return {
    process: child,
    pid: child.pid ?? -1,
    lines,
    exited,
    get running() {
      return running;
    },
  };
}

/** Sends `signal`, then SIGKILL if the process is still there after `graceMs`; resolves when it has exited. */
export async function endChild(child: Child, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<ExitInfo> {
  if (child.running) child.process.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
  const first = await Promise.race([child.exited, late]);
  clearTimeout(timer);
  if (first === 'late' && child.running) child.process.kill('SIGKILL');
  return child.exited;
}

/** The last `n` lines of a child's output, for error messages. */
export function tail(lines: string[], n = 30): string {
  return lines.slice(-n).join('\n');
}

export function describeExit(info: ExitInfo): string {
  if (info.error) return `could not start (${info.error.message})`;
  return info.signal ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
}
