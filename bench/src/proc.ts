import { readFileSync, readdirSync } from 'node:fs';

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

/** Every process whose command name (/proc/<pid>/comm) is `name`, e.g. all PostgreSQL backends. */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
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

/** Resident set size summed over several processes, in KiB. */
export function rssSumKb(pids: number[]): number {
  return pids.reduce((a, pid) => a + rssKb(pid), 0);
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

/**
 * Measures the CPU (ms) several processes use between its creation and stop(), with the wall time.
 * A key given several pids (e.g. the gateway's processes) gets the sum over them.
 */
export function cpuMeter(pids: Record<string, number | number[]>) {
  const t0 = Date.now();
  const list = (p: number | number[]) => (Array.isArray(p) ? p : [p]);
  const before = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, list(p).map(cpuMs)]));
  // A process gone by stop() (a PostgreSQL backend whose client disconnected) counts 0, not minus what it had used.
  const used = (k: string, p: number | number[]) => list(p).reduce((a, pid, i) => a + Math.max(0, cpuMs(pid) - before[k]![i]!), 0);
  return {
    stop(): { wallMs: number; ms: Record<string, number>; pct: Record<string, number> } {
      const wallMs = Math.max(1, Date.now() - t0);
      const ms = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, used(k, p)]));
      const pct = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, round((v / wallMs) * 100, 1)]));
      return { wallMs, ms, pct };
    },
  };
}

export function round(v: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
