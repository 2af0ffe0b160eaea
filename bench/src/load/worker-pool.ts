import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Histogram } from '../histogram.js';
import { hardOpenFileLimit } from '../proc.js';
import type { OpenResult, WorkerCommand, WorkerReply, WorkerReport } from './protocol.js';

const workerFile = fileURLToPath(new URL('./socket-worker.ts', import.meta.url));

/** Source addresses for client sockets, so 4-tuples (and ephemeral ports) never run out. */
export const sourceAddresses = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);

export interface PoolReport {
  frames: number;
  stamped: number;
  bytes: number;
  open: number;
  closed: Record<string, number>;
  hist: Histogram;
  /** CPU the workers used, summed, in ms (absolute counter; diff two reports). */
  cpuMs: number;
}

/** Several socket-worker processes, driven together. */
export class WorkerPool {
  private constructor(private readonly workers: ChildProcess[]) {}

  static async start(count: number, openFiles: number): Promise<WorkerPool> {
    const workers = Array.from({ length: count }, () =>
      fork(workerFile, [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    const pool = new WorkerPool(workers);
    for (const w of workers) {
      await new Promise<void>((resolve, reject) => {
        if (w.pid) resolve();
        else w.once('spawn', () => resolve()).once('error', reject);
      });
      raiseOpenFiles(w.pid!, openFiles);
    }
    return pool;
  }

  get pids(): number[] {
    return this.workers.map((w) => w.pid!);
  }

  private ask<T extends WorkerReply>(w: ChildProcess, cmd: WorkerCommand, reply: T['t'], timeoutMs = 120_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        w.off('message', onMsg);
        reject(new Error(`worker ${w.pid} did not answer ${cmd.t} in ${timeoutMs} ms`));
      }, timeoutMs);
      const onMsg = (m: WorkerReply) => {
        if (m.t !== reply) return;
        clearTimeout(timer);
        w.off('message', onMsg);
        resolve(m as T);
      };
      w.on('message', onMsg);
      w.send(cmd);
    });
  }

  /** Opens the sockets spread over the workers; resolves with the totals. */
  async open(opts: {
    host: string;
    port: number;
    protocol: 'ws' | 'eio';
    paths: string[];
    concurrency?: number;
  }): Promise<{ ok: number; failed: number; errors: Record<string, number>; ms: number }> {
    const n = this.workers.length;
    const parts = this.workers.map((_, i) => opts.paths.filter((__, j) => j % n === i));
    const t0 = Date.now();
    const results = await Promise.all(
      this.workers.map((w, i) =>
        this.ask<OpenResult>(w, {
          t: 'open',
          host: opts.host,
          port: opts.port,
          protocol: opts.protocol,
          paths: parts[i]!,
          localAddresses: sourceAddresses,
          concurrency: opts.concurrency ?? 100,
        }, 'opened', 600_000),
      ),
    );
    const errors: Record<string, number> = {};
    for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
    return {
      ok: results.reduce((a, r) => a + r.ok, 0),
      failed: results.reduce((a, r) => a + r.failed, 0),
      errors,
      ms: Date.now() - t0,
    };
  }

  async reset(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.ask(w, { t: 'reset' }, 'reset-ok')));
  }

  async report(): Promise<PoolReport> {
    const reports = await Promise.all(this.workers.map((w) => this.ask<WorkerReport>(w, { t: 'report' }, 'report')));
    const hist = new Histogram();
    const closed: Record<string, number> = {};
    for (const r of reports) {
      hist.merge(r.hist);
      for (const [k, v] of Object.entries(r.closed)) closed[k] = (closed[k] ?? 0) + v;
    }
    return {
      frames: reports.reduce((a, r) => a + r.frames, 0),
      stamped: reports.reduce((a, r) => a + r.stamped, 0),
      bytes: reports.reduce((a, r) => a + r.bytes, 0),
      open: reports.reduce((a, r) => a + r.open, 0),
      cpuMs: reports.reduce((a, r) => a + r.cpuMs, 0),
      closed,
      hist,
    };
  }

  /** Closes every socket and ends the workers. */
  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(async (w) => {
        if (w.exitCode !== null || !w.connected) return;
        await this.ask(w, { t: 'close' }, 'closed', 10_000).catch(() => undefined);
        await new Promise<void>((resolve) => {
          if (w.exitCode !== null) return resolve();
          const t = setTimeout(() => {
            w.kill('SIGKILL');
            resolve();
          }, 3000);
          w.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
        });
      }),
    );
  }
}

/**
 * Raises a running process's open-file limit with prlimit(1) (root can raise the hard limit too);
 * on failure the inherited limit stays, and the limit that applied is reported by the scenario.
 */
export function raiseOpenFiles(pid: number, want: number): boolean {
  const n = Math.min(want, hardOpenFileLimit());
  try {
    execFileSync('prlimit', [`--pid=${pid}`, `--nofile=${n}:${n}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
