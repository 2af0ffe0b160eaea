import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type net from 'node:net';

export interface PageServer {
  /** http://127.0.0.1:<port>: a secure context (getUserMedia is allowed on it over http). */
  readonly origin: string;
  readonly port: number;
  close(): void;
}

/** Serves one HTML file at every path on a free loopback port: a web client's page, for a browser test. */
export async function servePage(file: URL): Promise<PageServer> {
  const html = await readFile(file);
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
