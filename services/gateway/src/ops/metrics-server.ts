import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/** What the metrics listener ended up as: its port, or null when it could not bind. */
export interface MetricsServer {
  port: number | null;
  close(): Promise<void>;
}

/**
 * GET /metrics on its own small HTTP server (METRICS_HOST:METRICS_PORT, 127.0.0.1:9464 by default),
 * never on the public port. A port already taken (a second gateway process on the host) is logged
 * and the gateway runs on without metrics: scraping is not worth refusing traffic for.
 */
export async function startMetricsServer(registry: Registry, opts: { host: string; port: number; log: Logger }): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      (err: unknown) => {
        opts.log.warn({ err }, 'metrics collection failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
      },
    );
  });
  server.keepAliveTimeout = 5000;
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', (err) => {
      opts.log.warn({ err, host: opts.host, port: opts.port }, 'METRICS_PORT could not be bound: metrics are not served');
      resolve(false);
    });
    server.listen(opts.port, opts.host, () => resolve(true));
  });
  if (!bound) return { port: null, close: async () => undefined };
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
