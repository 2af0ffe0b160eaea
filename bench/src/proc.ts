import { readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU time (user + system) a process has used, in milliseconds; 0 when it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may contain spaces: state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** Resident set size in KiB; 0 when the process is gone. */
export function rssKb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The hard open-file limit of this process: what an unprivileged prlimit can raise a child's limit to. */
export function hardOpenFileLimit(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const m = /Max open files\s+\S+\s+(\d+|unlimited)/.exec(limits);
    return m ? (m[1] === 'unlimited' ? 1 << 20 : Number(m[1])) : 1024;
  } catch {
    return 1024;
  }
}

/** The soft open-file limit that applies to a running process. */
export function openFileLimit(pid: number): number {
  try {
    const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
    const m = /Max open files\s+(\d+|unlimited)/.exec(limits);
    return m ? (m[1] === 'unlimited' ? Infinity : Number(m[1])) : 0;
  } catch {
    return 0;
  }
}

/** Measures the CPU (ms) several processes use between its creation and stop(), with the wall time. */
export function cpuMeter(pids: Record<string, number>) {
  const t0 = Date.now();
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)]));
  return {
    stop(): { wallMs: number; ms: Record<string, number>; pct: Record<string, number> } {
      const wallMs = Math.max(1, Date.now() - t0);
      const ms = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid) - before[k]!]));
      const pct = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, round((v / wallMs) * 100, 1)]));
      return { wallMs, ms, pct };
    },
  };
}

export function round(v: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
