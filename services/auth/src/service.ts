import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { createSubjects, queueGroups } from '@chatroulette/contracts';
import { budgetMetrics, createBudgets, pgBudgetStore } from '@chatroulette/budgets';
import { createDb, databaseReady, mapDatabaseError, migrateToLatest, poolOf } from '@chatroulette/db';
import { createApp, listen } from '@chatroulette/http';
import { createLogger } from '@chatroulette/logger';
import { createServiceMetrics } from '@chatroulette/metrics';
import { connectNats, createNatsHandlers, drainNats, natsReady } from '@chatroulette/nats';
import { defineService, type ServiceLifecycle } from '@chatroulette/runtime';
import { createRevocationList, createTokenVerifier, revocableVerifier } from '@chatroulette/tokens';
import type { AuthConfig } from './config.js';
import type { AuthContext } from './context.js';
import { migrations } from './db/migrations/index.js';
import type { Database } from './db/schema.js';
import { createAuthBudgets } from './domain/budgets.js';
import { createHashQueue } from './domain/hash-queue.js';
import { hashPassword } from './domain/password.js';
import { publicKeyInfo } from './domain/signing-key.js';
import { createBlockPublisher, ensureBlockEventsStream } from './events/block-events.js';
import { createEventPublisher } from './events/publisher.js';
import { createRevocations } from './events/revocations.js';
import { startJobs } from './jobs.js';
import { mountNatsHandlers } from './nats/index.js';
import { mountRoutes } from './routes/index.js';
import { resolveSigningKey } from './use-cases/resolve-signing-key.js';

export type { AuthConfig } from './config.js';
export { configFromEnv } from './config.js';

/**
 * The auth service: users, passwords, tokens, profiles, and presence (the one owner of whether a
 * user is online across gateways). `start()` resolves once it answers HTTP and NATS.
 */
export function createService(cfg: AuthConfig, deps: { log?: Logger } = {}): ServiceLifecycle {
  const log = deps.log ?? createLogger('auth', cfg.logLevel);
  return defineService('auth', log, async (owner) => {
    const db = owner.own(
      'database',
      await createDb<Database>({ serverUrl: cfg.databaseUrl, database: cfg.databaseName, poolSize: cfg.databasePoolSize }, log),
      (d) => d.destroy(),
    );
    await migrateToLatest(db, migrations, log);
    const nc = owner.own('nats', await connectNats({ nats: cfg.nats, user: 'auth', name: 'auth', log }), drainNats);
    const subjects = createSubjects(cfg.natsNamespace);
    await ensureBlockEventsStream(nc, subjects, cfg.streamReplicas, log);
    const revocations = await createRevocations(nc, cfg.natsNamespace, cfg.streamReplicas);
    const key = await resolveSigningKey(cfg.privateKeyPem, db, revocations, log);
    const revoked = owner.own('revocation list', await createRevocationList(nc, cfg.natsNamespace, log, cfg.streamReplicas), (r) => r.stop());
    const metrics = owner.own('metrics', createServiceMetrics('auth'), (m) => m.registry.clear());
    const hashed = metrics.counter('auth_password_hashes_total', 'Password hashes computed (login, register, password change), by purpose', ['purpose']);
    const hashes = createHashQueue(cfg.maxPendingHashes, { hashed: (purpose) => hashed.inc({ purpose }) });
    metrics.gaugeOnScrape('auth_password_hashes_pending', 'Password hashes waiting or running', async () => hashes.pending);
    const ctx: AuthContext = {
      cfg,
      log,
      db,
      key,
      // The service holds its own key: no need to ask NATS for it.
      verify: revocableVerifier(createTokenVerifier(async () => [publicKeyInfo(key)]), revoked),
      dummyHash: await hashPassword(randomBytes(16).toString('hex'), cfg.passwordHashCost),
      lockout: {
        freeFailures: cfg.loginFreeFailures,
        freeFailuresPerAddress: cfg.loginFreeFailuresPerAddress,
        firstDelayMs: cfg.loginLockoutFirstSeconds * 1000,
        maxDelayMs: cfg.loginLockoutMaxSeconds * 1000,
        windowS: cfg.loginFailureWindowSeconds,
      },
      budgets: createAuthBudgets(createBudgets({ store: pgBudgetStore(poolOf(db)), log, hooks: budgetMetrics(metrics) }), cfg.budgets),
      hashes,
      events: createEventPublisher(nc, subjects, log),
      blockEvents: createBlockPublisher(db, nc, subjects, log),
      revocations,
    };

    const handlers = owner.own(
      'nats handlers',
      createNatsHandlers({ nc, queue: queueGroups.auth, log, mapError: mapDatabaseError }),
      (h) => h.close(),
    );
    mountNatsHandlers(handlers, ctx, subjects);
    await nc.flush();
    startJobs(ctx, owner);

    const readiness = { database: databaseReady(db), nats: natsReady(nc) };
    const app = createApp({ log, metrics, readiness, mapError: mapDatabaseError }, (a) => mountRoutes(a, ctx));
    const http = owner.own('http', await listen(app, cfg.port, cfg.host), (h) => h.close());
    return { port: http.port };
  });
}
