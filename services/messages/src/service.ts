import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Subscription } from 'nats';
import { createSubjects } from '@chatroulette/contracts';
import { createDb, mapDatabaseError, migrateToLatest } from '@chatroulette/db';
import { createApp, listen, type HttpServer } from '@chatroulette/http';
import { createLogger } from '@chatroulette/logger';
import { authKeySource, connectNats, drainNats, type NatsConnection } from '@chatroulette/nats';
import { cachedVerifier, createTokenVerifier } from '@chatroulette/tokens';
import type { Ctx } from './actions/context.js';
import { resolveConfig, type MessagesConfig } from './config.js';
import { migrations } from './db/migrations/index.js';
import type { Database } from './db/schema.js';
import { createPruner } from './events/prune.js';
import { createPublisher, publishEvent, type Publisher } from './events/publisher.js';
import { createSendQueue } from './db/send-queue.js';
import { createPublishedMarks } from './events/published-marks.js';
import { createRelay } from './events/relay.js';
import { ensureChatEventsStream } from './events/stream.js';
import { serveRequests } from './requests/index.js';
import { mountRoutes } from './routes/index.js';
import { createUserDirectory } from './users/user-directory.js';

export type { MessagesConfig } from './config.js';
export { configFromEnv } from './config.js';

/**
 * The messages service: chats, messages, reads, likes, and the chat event log (outbox + relay).
 * `start()` resolves once it answers HTTP and NATS; `destroy()` frees everything.
 */
export function createService(config: MessagesConfig, opts: { log?: Logger } = {}) {
  const cfg = resolveConfig(config);
  const log = opts.log ?? createLogger('messages', cfg.logLevel);
  let db: Kysely<Database> | undefined;
  let nc: NatsConnection | undefined;
  let http: HttpServer | undefined;
  let publisher: Publisher | undefined;
  let publishedMarks: ReturnType<typeof createPublishedMarks> | undefined;
  let subs: Subscription[] = [];
  const stoppers: (() => Promise<void>)[] = [];
  const inflight = new Set<Promise<unknown>>();
  let destroyed: Promise<void> | undefined;

  /** Work started by NATS handlers, awaited on destroy so nothing runs against a closed pool. */
  function track<T>(work: Promise<T>): Promise<T> {
    // A database outage answers 503 over NATS too, like over HTTP.
    const p = work.catch((e: unknown) => {
      throw mapDatabaseError(e);
    });
    inflight.add(p);
    void p.catch(() => undefined).finally(() => inflight.delete(p));
    return p;
  }

  async function start(): Promise<{ port: number }> {
    db = await createDb<Database>({ serverUrl: cfg.databaseUrl, database: cfg.databaseName, poolSize: cfg.databasePoolSize }, log);
    await migrateToLatest(db, migrations, log);
    nc = await connectNats({ url: cfg.natsUrl, name: 'messages', log });
    const subjects = createSubjects(cfg.natsNamespace);
    await ensureChatEventsStream(nc, subjects, cfg.streamMaxAgeMs, cfg.streamReplicas, log);

    const conn = nc;
    const database = db;
    const marks = createPublishedMarks(database, log);
    publishedMarks = marks;
    publisher = createPublisher(
      (e) => publishEvent(conn, subjects, e),
      async (e) => marks.mark(e),
      log,
    );
    const ctx: Ctx = { db, publisher, sends: createSendQueue(db), users: createUserDirectory(nc, subjects, cfg.userCacheTtlMs), cfg, log };
    subs = serveRequests(ctx, nc, subjects, track);
    await nc.flush();

    const relay = createRelay(nc, db, subjects, log, cfg.relayIntervalMs);
    relay.start();
    stoppers.push(relay.stop);
    const pruner = createPruner(db, log, { count: cfg.eventRetentionCount, hours: cfg.eventRetentionHours }, cfg.pruneIntervalMs);
    pruner.start();
    stoppers.push(pruner.stop);

    const verify = cachedVerifier(createTokenVerifier(authKeySource(nc, subjects)), cfg.tokenCacheSize);
    http = await listen(createApp(log, (app) => mountRoutes(app, ctx, verify), mapDatabaseError), cfg.port);
    log.info({ port: http.port }, 'messages service listening');
    return { port: http.port };
  }

  /** Idempotent; safe after a failed start. */
  function destroy(): Promise<void> {
    destroyed ??= (async () => {
      for (const s of subs) s.unsubscribe();
      await http?.close().catch((err: unknown) => log.warn({ err }, 'HTTP close failed'));
      await Promise.all(stoppers.map((stop) => stop()));
      await Promise.allSettled([...inflight]);
      await publisher?.idle();
      await publishedMarks?.flush();
      await drainNats(nc);
      await db?.destroy().catch((err: unknown) => log.warn({ err }, 'database close failed'));
      log.info('messages service stopped');
    })();
    return destroyed;
  }

  return { start, destroy };
}

export type MessagesService = ReturnType<typeof createService>;
