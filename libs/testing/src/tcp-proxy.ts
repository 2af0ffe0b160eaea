import net from 'node:net';

/** A TCP relay on 127.0.0.1 in front of one port, whose link a test can cut and restore. */
export interface TcpProxy {
  port: number;
  /** Drops every relayed connection and refuses new ones (accepted, then closed at once). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * Starts a relay to `targetPort`: a network partition between one client (say, one gateway) and
 * its server, while everyone else still reaches the server directly.
 */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const links = new Set<net.Socket>();
  let isCut = false;
  const server = net.createServer((client) => {
    if (isCut) return void client.destroy();
    const upstream = net.connect(targetPort, '127.0.0.1');
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
