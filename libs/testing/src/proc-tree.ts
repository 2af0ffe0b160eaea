import { readdirSync, readFileSync } from 'node:fs';

// Linux /proc: the process tree of a server, to freeze it whole or wait for what outlives its parent.

/** Pids of the live descendants of `pid` (Linux /proc; empty elsewhere). */
export function descendants(pid: number): number[] {
  let procs: { pid: number; ppid: number }[];
  try {
    procs = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .flatMap((d) => {
        const stat = procStat(Number(d));
        return stat && stat.state !== 'Z' ? [{ pid: Number(d), ppid: stat.ppid }] : [];
      });
  } catch {
    return [];
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const p of procs) {
      if (p.ppid === parent) {
        found.push(p.pid);
        walk(p.pid);
      }
    }
  };
  walk(pid);
  return found;
}

function procStat(pid: number): { comm: string; state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { comm, state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** A live process named `comm...` (the name check keeps a recycled pid from counting, or being killed). */
function isAlive(pid: number, comm: string): boolean {
  const stat = procStat(pid);
  return !!stat && stat.state !== 'Z' && stat.comm.startsWith(comm);
}

/** Waits until these processes (named `comm...`) are gone; SIGKILLs stragglers after 5 s. */
export async function waitForExit(pids: number[], comm: string): Promise<void> {
  const alive = (pid: number) => isAlive(pid, comm);
  const deadline = Date.now() + 5000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  signalAll(pids.filter(alive), 'SIGKILL');
  while (pids.some(alive) && Date.now() < deadline + 2000) await new Promise((r) => setTimeout(r, 50));
}

export function signalAll(pids: number[], signal: NodeJS.Signals) {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
