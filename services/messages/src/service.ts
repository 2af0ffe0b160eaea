import type { Logger } from 'pino';
import { createSubjects, queueGroups } from '@chatroulette/contracts';
import { budgetMetrics, budgetsByName, createBudgets, pgBudgetStore } from '@chatroulette/budgets';
import { createDb, databaseReady, mapDatabaseError, migrateToLatest, poolOf } from '@chatroulette/db';
import { createApp, listen } from '@chatroulette/http';
import { createLogger } from '@chatroulette/logger';
import { createServiceMetrics } from '@chatroulette/metrics';
import { authKeySource, connectNats, createNatsHandlers, drainNats, natsReady } from '@chatroulette/nats';
import { defineService } from '@chatroulette/runtime';
import { cachedVerifier, createRevocationList, createTokenVerifier, revocableVerifier } from '@chatroulette/tokens';
import { createUserDirectory } from './clients/user-directory.js';
import type { MessagesConfig } from './config.js';
import type { MessagesContext } from './context.js';
import { migrations } from './db/migrations/index.js';
import type { Database } from './db/schema.js';
import { createSendQueue } from './db/send-queue.js';
import { createPublishedMarks } from './events/published-marks.js';
import { createPublisher, publishEvent } from './events/publisher.js';
import { ensureChatEventsStream } from './events/stream.js';
import { startJobs } from './jobs.js';
import { createMessagesMetrics } from './metrics.js';
import { consumeBlocks } from './nats/block-events.js';
import { mountNatsHandlers } from './nats/index.js';
import { mountRoutes } from './routes/index.js';

export type { MessagesConfig } from './config.js';
export { configFromEnv } from './config.js';

/**
 * The messages service: chats, messages, reads, likes, and the chat event log (outbox + relay).
 * `start()` resolves once it answers HTTP and NATS; `destroy()` frees everything, in reverse order.
 */
export function createService(cfg: MessagesConfig, opts: { log?: Logger } = {}) {
  const log = opts.log ?? createLogger('messages', cfg.logLevel);

  return defineService('messages', log, async (owner) => {
    const db = owner.own(
      'database',
      await createDb<Database>({ serverUrl: cfg.databaseUrl, database: cfg.databaseName, poolSize: cfg.databasePoolSize }, log),
      (d) => d.destroy(),
    );
    await migrateToLatest(db, migrations, log);
    const nc = owner.own('nats', await connectNats({ nats: cfg.nats, user: 'messages', name: 'messages', log }), drainNats);
    const subjects = createSubjects(cfg.natsNamespace);
    await ensureChatEventsStream(nc, subjects, cfg.streamMaxAgeMs, cfg.streamReplicas, log);

    const registry = owner.own('metrics', createServiceMetrics('messages'), (m) => m.registry.clear());
    const budgetHooks = budgetMetrics(registry);
    const metrics = createMessagesMetrics(registry, db, log, budgetHooks);
    const marks = createPublishedMarks(db, log);
    owner.atStop('published marks', marks.flush);
    const publisher = createPublisher((e) => publishEvent(nc, subjects, e, metrics), async (e) => marks.mark(e), log);
    owner.atStop('publisher', publisher.idle);
    const ctx: MessagesContext = {
      db,
      publisher,
      sends: createSendQueue(db, cfg.sendRate),
      users: createUserDirectory(nc, subjects, cfg.userCacheTtlMs),
      cfg,
      log,
      metrics,
      budgets: budgetsByName(createBudgets({ store: pgBudgetStore(poolOf(db)), log, hooks: budgetHooks }), cfg.budgets),
    };

    const handlers = owner.own('nats handlers', createNatsHandlers({ nc, queue: queueGroups.messages, log, mapError: mapDatabaseError }), (h) =>
      h.close(),
    );
    mountNatsHandlers(handlers, ctx, subjects);
    await nc.flush();
    // Not awaited: auth, which owns the stream, may start after this service; the consumer waits for it.
    owner.own('block events', consumeBlocks(ctx, nc, subjects), (c) => c.stop());

    for (const job of startJobs(ctx, nc, subjects)) owner.own('job', job, (j) => j.stop());

    // Revoked tokens (logout, password change) are refused from the moment the watch delivers them.
    const revoked = owner.own('revocation list', await createRevocationList(nc, cfg.natsNamespace, log, cfg.streamReplicas), (r) => r.stop());
    const verify = revocableVerifier(cachedVerifier(createTokenVerifier(authKeySource(nc, subjects)), cfg.tokenCacheSize), revoked);
    const app = createApp(
      { log, metrics: registry, readiness: { database: databaseReady(db), nats: natsReady(nc) }, mapError: mapDatabaseError },
      (a) => mountRoutes(a, ctx, verify),
    );
    const http = owner.own('http', await listen(app, cfg.port, cfg.host), (h) => h.close());
    return { port: http.port };
  });
}
