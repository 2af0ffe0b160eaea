import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Express } from 'express';

export interface HttpServer {
  port: number;
  /** The address bound. */
  host: string;
  /** Stops accepting, lets requests in flight finish (up to `graceMs`), then closes what is left. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Binds loopback unless told otherwise: a service behind the gateway is not for the world to reach.
 * `requestTimeoutMs`: how long a request (its body included) may take to arrive; Node's default (300 s)
 * unless a service takes large uploads.
 */
export async function listen(app: Express, port: number, host = '127.0.0.1', opts: { requestTimeoutMs?: number } = {}): Promise<HttpServer> {
  const server: Server = createServer(app);
  server.keepAliveTimeout = 65_000;
  if (opts.requestTimeoutMs !== undefined) server.requestTimeout = opts.requestTimeoutMs;
  // Once closing, answers carry `Connection: close`: a keep-alive connection (the gateway's pool) that
  // carried a request in flight would otherwise stay open, and close() would wait the whole grace.
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (closing && !res.headersSent) res.setHeader('connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address : { port, address: host };
  return {
    port: bound.port,
    host: bound.address,
    close: (graceMs = 8000) =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
