import { connect, type NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { ConfigError, natsConnectionFromUrl, type NatsConnectionConfig } from '@chatroulette/config';
import { natsInboxPrefix, type NatsUser } from '@chatroulette/contracts';
import { natsClientOptions } from './client-options.js';

export type { NatsConnection };

/**
 * Connects with endless reconnects (a restarted nats-server is picked up again), waiting for the
 * first connection when the server is not there yet (said once after a second, naming NATS_URL).
 * `nats` is a service's config (credentials, TLS) or, in tests, a plain URL; `user` names the
 * service's user in deploy/nats, whose replies arrive on an inbox prefix only it may read.
 * Refused credentials and a server without JetStream stop the start with a ConfigError.
 */
export async function connectNats(opts: { nats: NatsConnectionConfig | string; name: string; user?: NatsUser; log: Logger }): Promise<NatsConnection> {
  const cfg = typeof opts.nats === 'string' ? natsConnectionFromUrl(opts.nats) : opts.nats;
  const url = cfg.servers.join(',');
  const waiting = setTimeout(() => opts.log.warn({ url }, `waiting for NATS at ${url} (NATS_URL)`), 1000);
  let nc: NatsConnection;
  try {
    nc = await connect({
      ...natsClientOptions(cfg),
      ...(opts.user ? { inboxPrefix: natsInboxPrefix(opts.user) } : {}),
      name: opts.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: true,
      pingInterval: 10_000,
    });
  } catch (e) {
    throw refused(e, cfg) ?? e;
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

/** The server said no to who we are (or to TLS): a ConfigError naming the variables to look at. */
function refused(e: unknown, cfg: NatsConnectionConfig): ConfigError | undefined {
  const code = (e as { code?: string }).code;
  const message = (e as Error).message ?? String(e);
  const how = cfg.auth ? `as ${describeAuth(cfg)}` : 'without credentials (set NATS_USER/NATS_PASSWORD, NATS_TOKEN, NATS_CREDS or NATS_NKEY_SEED)';
  if (code === 'AUTHORIZATION_VIOLATION' || code === 'AUTHENTICATION_EXPIRED' || /authorization/i.test(message)) {
    return new ConfigError(`NATS at ${cfg.servers.join(',')} refused the connection ${how}: ${message}`);
  }
  if (/tls/i.test(message) || code === 'SERVER_OPT_NA') {
    return new ConfigError(`TLS to NATS at ${cfg.servers.join(',')} failed (NATS_URL tls://, NATS_TLS_CA/CERT/KEY): ${message}`);
  }
  return undefined;
}

function describeAuth(cfg: NatsConnectionConfig): string {
  const a = cfg.auth!;
  if (a.kind === 'user') return `user "${a.user}" (NATS_USER/NATS_PASSWORD or NATS_URL)`;
  if (a.kind === 'token') return 'a token (NATS_TOKEN or NATS_URL)';
  if (a.kind === 'creds') return `the creds in ${a.file} (NATS_CREDS)`;
  return 'an nkey (NATS_NKEY_SEED)';
}

/**
 * Calls `fn` after each reconnect, with when the client noticed it was cut off (ms since the epoch).
 * The client has resent its subscriptions by then, but what was published while it was away is
 * gone for core subscribers: this is where they catch up.
 */
export function onReconnect(nc: NatsConnection, fn: (disconnectedAt: number) => void): void {
  void (async () => {
    let disconnectedAt = 0;
    for await (const s of nc.status()) {
      // Several disconnects before one reconnect (each failed attempt): the first one counts.
      if (s.type === 'disconnect' && disconnectedAt === 0) disconnectedAt = Date.now();
      else if (s.type === 'reconnect') {
        fn(disconnectedAt || Date.now());
        disconnectedAt = 0;
      }
    }
  })();
}

/**
 * Whether the client is connected now: false from the moment it notices it was cut off until it has
 * reconnected. A request made meanwhile waits in the client's buffer and may still be delivered
 * after its caller gave up; a caller with another way to do the work takes it instead.
 */
export function connectionState(nc: NatsConnection): { connected(): boolean } {
  let up = true;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') up = false;
      else if (s.type === 'reconnect') up = true;
    }
  })();
  return { connected: () => up && !nc.isClosed() };
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
