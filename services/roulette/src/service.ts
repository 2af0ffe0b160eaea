import type { Kysely } from 'kysely';
import { createSubjects } from '@chatroulette/contracts';
import { createDb, mapDatabaseError, migrateToLatest } from '@chatroulette/db';
import { createApp, listen, type HttpServer } from '@chatroulette/http';
import { createLogger, type Logger } from '@chatroulette/logger';
import { authKeySource, connectNats, drainNats, type NatsConnection } from '@chatroulette/nats';
import { cachedVerifier, createTokenVerifier } from '@chatroulette/tokens';
import type { RouletteConfig } from './config.js';
import type { Database } from './db/schema.js';
import { migrations } from './db/migrations/index.js';
import { createOutboxPublisher } from './events/outbox-publisher.js';
import { every, type Loop } from './loops/every.js';
import { listenToPresence } from './presence/presence-listener.js';
import { mountRoutes } from './routes/mount.js';
import type { RouletteContext } from './use-cases/context.js';
import { createMutex } from './use-cases/matching-lock.js';
import { expireGrace } from './use-cases/expire-grace.js';
import { finishUnfinished } from './use-cases/finish-unfinished.js';
import { matchQueue, purgeSkips } from './use-cases/match-queue.js';

export type { RouletteConfig } from './config.js';
export { configFromEnv } from './config.js';

/** The roulette service: the search queue, matching, skip and save, and leaving after a grace period. */
export function createService(cfg: RouletteConfig, opts: { log?: Logger } = {}) {
  const log = opts.log ?? createLogger('roulette', cfg.logLevel);
  let db: Kysely<Database> | undefined;
  let nc: NatsConnection | undefined;
  let http: HttpServer | undefined;
  let presence: { stop(): Promise<void> } | undefined;
  let destroyed: Promise<void> | undefined;
  const loops: Loop[] = [];

  return {
    async start(): Promise<{ port: number }> {
      db = await createDb<Database>(
        { serverUrl: cfg.databaseUrl, database: cfg.databaseName, poolSize: cfg.databasePoolSize },
        log,
      );
      await migrateToLatest(db, migrations, log);
      nc = await connectNats({ url: cfg.natsUrl, name: 'roulette', log });
      const subjects = createSubjects(cfg.natsNamespace);
      const outbox = createOutboxPublisher(db, nc, subjects, log);
      await outbox.ensureStream(cfg.streamReplicas);

      const relayMs = cfg.relayLoopMs ?? 1000;
      const ctx: RouletteContext = {
        db,
        nc,
        subjects,
        log,
        outbox,
        matchingMutex: createMutex(),
        rules: {
          skipCooldownMs: cfg.skipCooldownMs,
          interestWaitMs: cfg.interestWaitMs,
          retryAfterMs: cfg.retryAfterMs ?? 10_000,
        },
      };
      const verify = cachedVerifier(createTokenVerifier(authKeySource(nc, subjects)), cfg.tokenCacheSize ?? 20_000);
      const limits = { searchesPerMinute: cfg.rateSearchesPerMinute ?? 30, skipsPerMinute: cfg.rateSkipsPerMinute ?? 20 };
      const app = createApp(log, (a) => mountRoutes(a, ctx, verify, limits), mapDatabaseError);
      http = await listen(app, cfg.port);

      presence = listenToPresence(ctx, nc, cfg.graceMs);
      loops.push(
        every('grace', cfg.graceLoopMs ?? 500, () => expireGrace(ctx), log),
        every('matcher', cfg.matcherLoopMs ?? 1000, () => matchQueue(ctx), log),
        every('relay', relayMs, async () => {
          await outbox.relay();
          await finishUnfinished(ctx);
        }, log),
        every('purge-skips', 60_000, () => purgeSkips(ctx), log),
      );
      log.info({ port: http.port }, 'roulette service listening');
      return { port: http.port };
    },

    /** Idempotent; safe after a failed start. */
    destroy(): Promise<void> {
      destroyed ??= (async () => {
        await http?.close(2000).catch((err: unknown) => log.warn({ err }, 'HTTP close failed'));
        await presence?.stop();
        await Promise.all(loops.splice(0).map((l) => l.stop()));
        await drainNats(nc);
        await db?.destroy().catch((err: unknown) => log.warn({ err }, 'database close failed'));
        log.info('roulette service stopped');
      })();
      return destroyed;
    },
  };
}

export type RouletteService = ReturnType<typeof createService>;
