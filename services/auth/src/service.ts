import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { createSubjects } from '@chatroulette/contracts';
import { createDb, migrateToLatest } from '@chatroulette/db';
import { createLogger } from '@chatroulette/logger';
import { connectNats, drainNats, type NatsConnection } from '@chatroulette/nats';
import { listen, type HttpServer } from '@chatroulette/http';
import { createTokenVerifier } from '@chatroulette/tokens';
import { buildApp } from './app.js';
import type { AuthConfig } from './config.js';
import type { AuthContext } from './context.js';
import type { Database } from './db/schema.js';
import { migrations } from './db/migrations/index.js';
import { hashPassword } from './domain/password.js';
import { defaultLockoutRules } from './domain/lockout.js';
import { publicKeyInfo, resolveSigningKey } from './keys/signing-key.js';
import { listenPresence } from './presence/presence-listener.js';
import { startSweeper } from './presence/sweeper.js';
import { serveKeysGet } from './rpc/keys-get.js';
import { serveUsersGet } from './rpc/users-get.js';

export type { AuthConfig } from './config.js';
export { configFromEnv } from './config.js';

/**
 * The auth service: users, passwords, tokens, profiles and presence. `start()` resolves once it
 * answers HTTP and NATS; `destroy()` frees everything so the process can end on its own.
 */
export function createService(cfg: AuthConfig, opts: { log?: Logger } = {}) {
  const log = opts.log ?? createLogger('auth', cfg.logLevel);
  let db: Kysely<Database> | undefined;
  let nc: NatsConnection | undefined;
  let http: HttpServer | undefined;
  let stopSweeper: (() => Promise<void>) | undefined;
  let destroyed: Promise<void> | undefined;
  let starting: Promise<{ port: number }> | undefined;

  function start(): Promise<{ port: number }> {
    if (destroyed) return Promise.reject(new Error('auth service already destroyed'));
    starting ??= startOnce();
    return starting;
  }

  async function startOnce(): Promise<{ port: number }> {
    db = await createDb<Database>(
      { serverUrl: cfg.databaseUrl, database: cfg.databaseName, poolSize: cfg.databasePoolSize },
      log,
    );
    await migrateToLatest(db, migrations, log);
    const key = await resolveSigningKey(cfg.privateKeyPem, db, log);
    const ctx: AuthContext = {
      cfg,
      log,
      db,
      key,
      // The service holds its own key: no need to ask NATS for it.
      verify: createTokenVerifier(async () => [publicKeyInfo(key)]),
      dummyHash: await hashPassword(randomBytes(16).toString('hex'), cfg.passwordHashCost),
      lockout: {
        freeFailures: cfg.loginFreeFailures ?? defaultLockoutRules.freeFailures,
        freeFailuresPerAddress: cfg.loginFreeFailuresPerAddress ?? defaultLockoutRules.freeFailuresPerAddress,
        maxDelayMs: (cfg.loginLockoutMaxSeconds ?? defaultLockoutRules.maxDelayMs / 1000) * 1000,
        windowS: cfg.loginFailureWindowSeconds ?? defaultLockoutRules.windowS,
      },
    };

    nc = await connectNats({ url: cfg.natsUrl, name: 'auth', log });
    const subjects = createSubjects(cfg.natsNamespace);
    serveKeysGet(ctx, nc, subjects);
    serveUsersGet(ctx, nc, subjects);
    listenPresence(ctx, nc, subjects);
    await nc.flush();
    stopSweeper = startSweeper(ctx);

    http = await listen(buildApp(ctx), cfg.port);
    log.info({ port: http.port }, 'auth service listening');
    return { port: http.port };
  }

  /** Idempotent; safe after a failed start, and during one (it waits for the start to settle). */
  function destroy(): Promise<void> {
    destroyed ??= (async () => {
      await starting?.catch(() => undefined);
      await http?.close().catch((err: unknown) => log.warn({ err }, 'HTTP close failed'));
      await stopSweeper?.();
      await drainNats(nc);
      await db?.destroy().catch((err: unknown) => log.warn({ err }, 'database close failed'));
      log.info('auth service stopped');
    })();
    return destroyed;
  }

  return { start, destroy };
}

export type AuthService = ReturnType<typeof createService>;
