import { createSubjects, queueGroups } from '@chatroulette/contracts';
import { budgetMetrics, createBudgets, pgBudgetStore } from '@chatroulette/budgets';
import { createDb, databaseReady, mapDatabaseError, migrateToLatest, poolOf } from '@chatroulette/db';
import { createApp, listen } from '@chatroulette/http';
import { createLogger, type Logger } from '@chatroulette/logger';
import { createServiceMetrics } from '@chatroulette/metrics';
import { authKeySource, connectNats, createNatsHandlers, drainNats, natsReady } from '@chatroulette/nats';
import { defineService, type ServiceLifecycle } from '@chatroulette/runtime';
import { cachedVerifier, createRevocationList, createTokenVerifier, revocableVerifier } from '@chatroulette/tokens';
import type { RouletteConfig } from './config.js';
import type { RouletteContext } from './context.js';
import type { Database } from './db/schema.js';
import { migrations } from './db/migrations/index.js';
import { createPublisher } from './events/publisher.js';
import { ensureUserEventsStream } from './events/user-events-stream.js';
import { startJobs } from './jobs.js';
import { createRouletteMetrics } from './metrics.js';
import { consumeBlocks } from './nats/block-events.js';
import { consumeUserPresence } from './nats/user-presence.js';
import { mountRoutes } from './routes/index.js';
import { createTurnstile } from './use-cases/matching-lock.js';
import { createMatcher } from './use-cases/matcher.js';
import { matchBatch } from './use-cases/match-queue.js';

/** The most searches one matcher batch takes (one auth lookup takes 1000 users: this and the queue slice). */
const MATCHER_BATCH = 500;

export type { RouletteConfig } from './config.js';
export { configFromEnv } from './config.js';

/** The roulette service: the search queue, matching, skip and save, and leaving after a grace period. */
export function createService(cfg: RouletteConfig, deps: { log?: Logger } = {}): ServiceLifecycle {
  const log = deps.log ?? createLogger('roulette', cfg.logLevel);
  return defineService('roulette', log, async (owner) => {
    const db = owner.own(
      'database',
      await createDb<Database>({ serverUrl: cfg.databaseUrl, database: cfg.databaseName, poolSize: cfg.databasePoolSize }, log),
      (d) => d.destroy(),
    );
    await migrateToLatest(db, migrations, log);
    // One connection: the turnstile lets one holder of the matching lock through at a time, and with
    // its own connection a batch never queues in the pool behind the requests' statements.
    const lockDb = owner.own(
      'matching lock database',
      await createDb<Database>({ serverUrl: cfg.databaseUrl, database: cfg.databaseName, poolSize: 1 }, log),
      (d) => d.destroy(),
    );
    const nc = owner.own('nats', await connectNats({ nats: cfg.nats, user: 'roulette', name: 'roulette', log }), drainNats);
    const subjects = createSubjects(cfg.natsNamespace);
    await ensureUserEventsStream(nc, subjects, cfg.streamReplicas, log);
    const registry = owner.own('metrics', createServiceMetrics('roulette'), (m) => m.registry.clear());
    const metrics = createRouletteMetrics(registry, db, log);

    const ctx: RouletteContext = {
      db,
      lockDb,
      nc,
      subjects,
      log,
      publisher: createPublisher(db, nc, log, metrics),
      metrics,
      matchingTurnstile: createTurnstile(),
      // Runs only after ctx exists (the first join).
      matcher: createMatcher((searchers) => matchBatch(ctx, searchers), MATCHER_BATCH),
      rules: {
        skipCooldownMs: cfg.skipCooldownMs,
        interestWaitMs: cfg.interestWaitMs,
        retryAfterMs: cfg.retryAfterMs,
        idleSearchMs: cfg.idleSearchMs,
      },
      safety: cfg.safety,
    };

    const handlers = owner.own(
      'nats handlers',
      createNatsHandlers({ nc, queue: queueGroups.roulette, log, mapError: mapDatabaseError }),
      (h) => h.close(),
    );
    consumeUserPresence(handlers, ctx, cfg.graceMs);
    // Not awaited: auth, which owns the stream, may start after this service; the consumer waits for it.
    owner.own('block events', consumeBlocks(ctx), (c) => c.stop());
    startJobs(owner, ctx, cfg);

    // Revoked tokens (logout, password change) are refused from the moment the watch delivers them.
    const revoked = owner.own('revocation list', await createRevocationList(nc, cfg.natsNamespace, log, cfg.streamReplicas), (r) => r.stop());
    const verify = revocableVerifier(cachedVerifier(createTokenVerifier(authKeySource(nc, subjects)), cfg.tokenCacheSize), revoked);
    const budgets = createBudgets({ store: pgBudgetStore(poolOf(db)), log, hooks: budgetMetrics(registry) });
    const readiness = { database: databaseReady(db), nats: natsReady(nc) };
    const app = createApp({ log, metrics: registry, readiness, mapError: mapDatabaseError }, (a) => mountRoutes(a, ctx, verify, budgets, cfg.budgets));
    const http = owner.own('http', await listen(app, cfg.port, cfg.host), (h) => h.close(2000));
    return { port: http.port };
  });
}
