import net from 'node:net';

/** True when something accepts TCP connections at the host and port of the URL (the first of a comma-separated list). */
export function reachable(url: string, timeoutMs = 1500): Promise<boolean> {
  const first = url.split(',')[0]!.trim();
  const u = new URL(first);
  const port = Number(u.port || (u.protocol.startsWith('postgres') ? 5432 : 4222));
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
