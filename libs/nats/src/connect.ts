import { connect, type NatsConnection } from 'nats';
import type { Logger } from 'pino';

export type { NatsConnection };

/**
 * Connects with endless reconnects (a restarted nats-server is picked up again),
 * waiting for the first connection when the server is not there yet.
 */
export async function connectNats(opts: { url: string; name: string; log: Logger }): Promise<NatsConnection> {
  const nc = await connect({
    servers: opts.url.split(','),
    name: opts.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: true,
    pingInterval: 10_000,
  });
  opts.log.info({ server: nc.getServer() }, 'connected to NATS');
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'pingTimer') continue;
      const level = s.type === 'disconnect' || s.type === 'error' ? 'warn' : 'info';
      opts.log[level]({ status: s.type, data: String(s.data) }, 'NATS status');
    }
  })();
  return nc;
}

/**
 * Calls `fn` after each reconnect. The client has resent its subscriptions by then, but what was
 * published while it was away is gone for core subscribers: this is where they catch up.
 */
export function onReconnect(nc: NatsConnection, fn: () => void): void {
  void (async () => {
    for await (const s of nc.status()) if (s.type === 'reconnect') fn();
  })();
}

/** Finishes in-flight handlers and flushes what is published, then closes. */
export async function drainNats(nc: NatsConnection | undefined): Promise<void> {
  if (!nc || nc.isClosed()) return;
  try {
    await nc.drain();
  } catch {
    await nc.close().catch(() => undefined);
  }
}
