import { connect, type NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { ConfigError } from '@chatroulette/config';

export type { NatsConnection };

/**
 * Connects with endless reconnects (a restarted nats-server is picked up again), waiting for the
 * first connection when the server is not there yet (said once after a second, naming NATS_URL).
 * A server without JetStream stops the start with a ConfigError: the services' streams need it.
 */
export async function connectNats(opts: { url: string; name: string; log: Logger }): Promise<NatsConnection> {
  const waiting = setTimeout(() => opts.log.warn({ url: opts.url }, `waiting for NATS at ${opts.url} (NATS_URL)`), 1000);
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: opts.url.split(','),
      name: opts.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: true,
      pingInterval: 10_000,
    });
  } finally {
    clearTimeout(waiting);
  }
  try {
    await (await nc.jetstreamManager()).getAccountInfo();
  } catch (e) {
    await nc.close().catch(() => undefined);
    throw new ConfigError(`NATS at ${nc.getServer()} (NATS_URL) answers without JetStream (${(e as Error).message}): start nats-server with -js`);
  }
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
