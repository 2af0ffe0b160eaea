import { createSubjects } from '@chatroulette/contracts';
import { createApp, listen } from '@chatroulette/http';
import { createLogger, type Logger } from '@chatroulette/logger';
import { createServiceMetrics } from '@chatroulette/metrics';
import { authKeySource, connectNats, drainNats, natsReady } from '@chatroulette/nats';
import { defineService, type ServiceLifecycle } from '@chatroulette/runtime';
import { cachedVerifier, createRevocationList, createTokenVerifier, revocableVerifier } from '@chatroulette/tokens';
import type { MediaConfig } from './config.js';
import type { MediaContext } from './context.js';
import { openBucket } from './db/bucket.js';
import { mountRoutes } from './routes/index.js';

export type { MediaConfig } from './config.js';
export { configFromEnv } from './config.js';

/** The media service: uploaded files, kept in a JetStream object store bucket, and their downloads. */
export function createService(cfg: MediaConfig, deps: { log?: Logger } = {}): ServiceLifecycle {
  const log = deps.log ?? createLogger('media', cfg.logLevel);
  return defineService('media', log, async (owner) => {
    const nc = owner.own('nats', await connectNats({ nats: cfg.nats, user: 'media', name: 'media', log }), drainNats);
    const subjects = createSubjects(cfg.natsNamespace);
    const bucket = await openBucket(nc, subjects.mediaBucket, cfg.streamReplicas, log);
    const registry = owner.own('metrics', createServiceMetrics('media'), (m) => m.registry.clear());
    const ctx: MediaContext = { nc, bucket, log };

    // Revoked tokens (logout, password change) are refused from the moment the watch delivers them.
    const revoked = owner.own('revocation list', await createRevocationList(nc, cfg.natsNamespace, log, cfg.streamReplicas), (r) => r.stop());
    const verify = revocableVerifier(cachedVerifier(createTokenVerifier(authKeySource(nc, subjects)), cfg.tokenCacheSize), revoked);
    const app = createApp({ log, metrics: registry, readiness: { nats: natsReady(nc) } }, (a) => mountRoutes(a, ctx, verify));
    const http = owner.own('http', await listen(app, cfg.port, cfg.host, { requestTimeoutMs: cfg.uploadTimeoutMs }), (h) => h.close(2000));
    return { port: http.port };
  });
}
