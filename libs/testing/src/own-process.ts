import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeExit, endChild, spawnChild, tail, type Child, type ExitInfo } from './child-process.js';
import { waitUntil } from './wait-until.js';

/** The monorepo root, where `node --import tsx services/<name>/src/main.ts` runs. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * When a started process counts as ready: a matching output line, an HTTP answer (any status) at a URL,
 * or `poll(pid)` saying so (e.g. it listens on a port that another process already answers on).
 */
export type Readiness = RegExp | ((line: string) => boolean) | { http: string } | { poll: (pid: number) => boolean };

export interface OwnProcessOptions {
  /** Default: this node (process.execPath). */
  command?: string;
  args: string[];
  /** Default: the repo root. */
  cwd?: string;
  /** Added to process.env; an undefined value removes that variable. */
  env?: Record<string, string | undefined>;
  /** Default: started is ready. */
  ready?: Readiness;
  readyTimeoutMs?: number;
  /** Prefix of echoed lines. */
  label?: string;
  /**
   * 'on-failure' (default): print the output to stderr when it fails to get ready or exits on its own with
   * an error; 'always': echo every line as it comes; 'never'.
   */
  echo?: 'on-failure' | 'always' | 'never';
  /** Every line is also appended to this file (the bench keeps each service's log). */
  logFile?: string;
  /**
   * The process's open-file limit, set through prlimit(1) (which execs the command, so `pid` stays
   * the command's). Without CAP_SYS_RESOURCE it cannot pass this process's hard limit.
   */
  openFiles?: number;
}

/** A child process that a test owns: its output kept, killed or restarted when the test says. */
export interface OwnProcess {
  readonly pid: number;
  readonly running: boolean;
  /** stdout and stderr lines of every run so far, in arrival order. */
  readonly lines: string[];
  /** The lines that are JSON objects (pino logs), parsed. */
  logs(): Record<string, unknown>[];
  /** Resolves with the first line (of this run, past or future) that matches; rejects on timeout or exit. */
  waitForLine(match: RegExp | ((line: string) => boolean), timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): void;
  /** Resolves when this run has exited; rejects after `timeoutMs` if given. */
  waitExit(timeoutMs?: number): Promise<ExitInfo>;
  /** SIGTERM, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<ExitInfo>;
  /** Stops it if running, starts it again with the same command and env, waits until ready. */
  restart(): Promise<void>;
  /** The output, for a failure message. */
  output(last?: number): string;
}

export async function startOwnProcess(opts: OwnProcessOptions): Promise<OwnProcess> {
  const label = opts.label ?? path.basename(opts.args[opts.args.length - 1] ?? opts.command ?? 'process');
  const echo = opts.echo ?? 'on-failure';
  const lines: string[] = [];
  let runStart = 0;
  let child: Child | undefined;
  const stopping = new WeakSet<Child>();
  const print = (text: string) => process.stderr.write(`${text}\n`);
  const logFile = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
  const printAll = (why: string) => {
    if (echo === 'on-failure') print(`--- ${label} ${why}; its output:\n${lines.map((l) => `[${label}] ${l}`).join('\n')}\n---`);
  };

  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }

  const matcher = (m: RegExp | ((line: string) => boolean)) => (typeof m === 'function' ? m : (l: string) => m.test(l));

  const waitForLine: OwnProcess['waitForLine'] = (match, timeoutMs = 10_000) => {
    const test = matcher(match);
    const from = runStart;
    return waitUntil(async () => lines.slice(from).find(test), {
      what: `${label}: a line matching ${String(match)}`,
      timeoutMs,
      intervalMs: 20,
      child,
    });
  };

  const start = async () => {
    if (child?.running) return;
    runStart = lines.length;
    const command = opts.command ?? process.execPath;
    const limited = opts.openFiles !== undefined;
    const started = spawnChild(limited ? 'prlimit' : command, limited ? [`--nofile=${opts.openFiles}:${opts.openFiles}`, '--', command, ...opts.args] : opts.args, {
      cwd: opts.cwd ?? repoRoot,
      env,
      maxLines: Number.MAX_SAFE_INTEGER,
      onLine: (line) => {
        lines.push(line);
        logFile?.write(`${line}\n`);
        if (echo === 'always') print(`[${label}] ${line}`);
      },
    });
    child = started;
    void started.exited.then((info) => {
      if (!stopping.has(started) && (info.error || info.signal || info.code !== 0)) printAll(describeExit(info));
    });
    const timeoutMs = opts.readyTimeoutMs ?? 15_000;
    const ready = opts.ready;
    try {
      if (ready === undefined) return;
      if (ready instanceof RegExp || typeof ready === 'function') await waitForLine(ready, timeoutMs);
      else if ('poll' in ready) {
        await waitUntil(async () => ready.poll(started.pid) || undefined, { what: `${label}: ready`, timeoutMs, intervalMs: 50, child: started });
      } else {
        await waitUntil(async () => (await fetch(ready.http, { signal: AbortSignal.timeout(1000) }), true), {
          what: `${label}: an HTTP answer at ${ready.http}`,
          timeoutMs,
          child: started,
        });
      }
    } catch (e) {
      if (started.running) {
        stopping.add(started);
        printAll('did not get ready');
        await endChild(started, 'SIGKILL');
      }
      throw e;
    }
  };

  const proc: OwnProcess = {
    get pid() {
      return child?.pid ?? -1;
    },
    get running() {
      return !!child?.running;
    },
    lines,
    logs: () => lines.flatMap((l) => parseObject(l)),
    waitForLine,
    kill(signal = 'SIGTERM') {
      if (!child?.running) return;
      stopping.add(child);
      child.process.kill(signal);
    },
    async waitExit(timeoutMs) {
      if (!child) throw new Error(`${label} was never started`);
      if (timeoutMs === undefined) return child.exited;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${label} still running after ${timeoutMs} ms.\n${tail(lines)}`)), timeoutMs);
      });
      return Promise.race([child.exited, late]).finally(() => clearTimeout(timer));
    },
    async stop(graceMs = 5000) {
      if (!child) throw new Error(`${label} was never started`);
      stopping.add(child);
      return endChild(child, 'SIGTERM', graceMs);
    },
    async restart() {
      if (child?.running) await proc.stop();
      await start();
    },
    output: (last = 200) => tail(lines, last),
  };
  await start();
  return proc;
}

export function parseObject(line: string): Record<string, unknown>[] {
  if (!line.startsWith('{')) return [];
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' && !Array.isArray(value) ? [value as Record<string, unknown>] : [];
  } catch {
    return [];
  }
}
