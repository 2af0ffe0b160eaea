import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * Whether process `pid` holds a TCP socket listening on `port` (read from /proc, Linux only): the
 * readiness of a process that shares a port another one already answers on (SO_REUSEPORT).
 */
export function listensOn(pid: number, port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is field 1 (addr:PORT), st field 3 (0A = LISTEN), inode field 9.
      if (f.length > 9 && f[3] === '0A' && f[1]!.endsWith(`:${hex}`)) inodes.add(f[9]!);
    }
  }
  if (!inodes.size) return false;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const m = /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${pid}/fd/${fd}`));
      if (m && inodes.has(m[1]!)) return true;
    }
  } catch {
    // gone
  }
  return false;
}

function safeReadlink(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return '';
  }
}
