import net from 'node:net';

/** A TCP relay on 127.0.0.1 in front of one port (or a balancer over several), whose link a test can cut and restore. */
export interface TcpProxy {
  port: number;
  /** Drops every relayed connection and refuses new ones (accepted, then closed at once). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * Starts a relay to `targetPort`: a network partition between one client (say, one gateway) and
 * its server, while everyone else still reaches the server directly. With several ports it is a
 * balancer as a deployment puts in front of its gateways: each new connection goes to the next
 * port in turn, and to the one after when nothing listens there (a gateway that is down).
 */
export async function startTcpProxy(targetPort: number | readonly number[]): Promise<TcpProxy> {
  const targets = typeof targetPort === 'number' ? [targetPort] : [...targetPort];
  const links = new Set<net.Socket>();
  let isCut = false;
  let turn = 0;

  /** Connects to the targets from the next in turn on, each at most once; null when none answers. */
  function connectUpstream(): Promise<net.Socket | null> {
    const first = turn++ % targets.length;
    return new Promise((resolve) => {
      const attempt = (tried: number) => {
        if (tried === targets.length) return resolve(null);
        const upstream = net.connect(targets[(first + tried) % targets.length]!, '127.0.0.1');
        upstream.once('connect', () => {
          upstream.removeAllListeners('error');
          resolve(upstream);
        });
        upstream.once('error', () => attempt(tried + 1));
      };
      attempt(0);
    });
  }

  const server = net.createServer((client) => {
    if (isCut) return void client.destroy();
    client.pause();
    client.on('error', () => undefined);
    void connectUpstream().then((upstream) => {
      if (!upstream || isCut || client.destroyed) {
        upstream?.destroy();
        return void client.destroy();
      }
      for (const s of [client, upstream]) {
        links.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          links.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      isCut = true;
      for (const s of links) s.destroy();
    },
    restore() {
      isCut = false;
    },
    close() {
      for (const s of links) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
