import { describeExit, tail, type Child } from './child-process.js';

export interface WaitOptions {
  /** What is awaited, for the timeout message. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Fail at once, with its output, when this process exits while waiting. */
  child?: Child;
}

/**
 * Calls `attempt` until it resolves to a value other than undefined (a throw counts as not yet);
 * rejects after `timeoutMs` naming the last error, or as soon as `child` exits.
 */
export async function waitUntil<T>(attempt: () => Promise<T | undefined>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 100;
  let lastError: unknown;
  for (;;) {
    // Read before the attempt: an attempt after the exit has seen all the process did, so failing then is final.
    const gone = !!opts.child && !opts.child.running;
    try {
      const value = await attempt();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (gone) {
      const info = await opts.child!.exited;
      throw new Error(`${opts.what}: the process ${describeExit(info)} first. Output:\n${tail(opts.child!.lines)}`);
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      const output = opts.child ? ` Output:\n${tail(opts.child.lines)}` : '';
      throw new Error(`${opts.what}: not ready after ${opts.timeoutMs} ms${why}.${output}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `read` until `check` holds or `timeoutMs` passes (no throw); returns the last value read. */
export async function pollUntil<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 5000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await sleep(intervalMs);
    value = await read();
  }
  return value;
}
