import { Agent } from 'undici';
import { createBudgets, kvBudgetStore } from '@chatroulette/budgets';
import { closeCodes, createSubjects, gatewayPaths } from '@chatroulette/contracts';
import { createLogger, type Logger } from '@chatroulette/logger';
import { authKeySource, connectNats, drainNats, onReconnect } from '@chatroulette/nats';
import { defineService } from '@chatroulette/runtime';
import { cachedVerifier, createRevocationList, createTokenVerifier, revocableVerifier } from '@chatroulette/tokens';
import { createGatewayBlocks } from './blocks/gateway-blocks.js';
import { createBroker, type Broker } from './broker/broker.js';
import { createReceipts } from './broker/receipts.js';
import { createMembership } from './clients/membership.js';
import { createGatewayMetrics } from './ops/metrics.js';
import { startMetricsServer } from './ops/metrics-server.js';
import { createReadiness } from './ops/readiness.js';
import type { GatewayConfig } from './config.js';
import { createApiDocs } from './docs/api-docs.js';
import { createEventsLog } from './history/events-log.js';
import { Hub } from './hub/hub.js';
import { createLive } from './live/live.js';
import { createSocketSends } from './sends/socket-sends.js';
import { createPresence } from './presence/presence.js';
import { createRestHandler } from './rest/proxy.js';
import { createRestSends } from './rest/rest-sends.js';
import { createDemoSite } from './site/demo-site.js';
import type { Upstream } from './rest/route-table.js';
import { UpstreamPool } from './rest/upstream-pool.js';
import { createBackpressureGuard } from './socket/backpressure.js';
import { socketBudgets } from './socket/budgets.js';
import { socketBehavior } from './socket/socket-behavior.js';
import { closeRevokedSockets } from './socket/revocation.js';
import { closeSocket } from './socket/socket-data.js';
import { requireNativeUws, uws, uwsBuild, type TemplatedApp } from './transport/load-uws.js';
import { leaveUws } from './transport/outside-uws.js';

export { configFromEnv, type GatewayConfig } from './config.js';
export { uwsBuild } from './transport/load-uws.js';

/**
 * The public edge: REST routed to the services that own it, and the WebSocket fed from NATS
 * through uWS topics. `start()` resolves to the bound port; `destroy()` stops listening, closes
 * every socket (1001, offline presence), flushes receipts, drains NATS and closes the pools.
 */
export function createService(cfg: GatewayConfig, opts: { log?: Logger } = {}) {
  const log = opts.log ?? createLogger('gateway', cfg.logLevel);
  const subjects = createSubjects(cfg.natsNamespace);
  let hub: Hub | undefined;
  let broker: Broker | undefined;
  let stopping = false;
  let port = 0;
  let metricsPort: number | null = null;

  const lifecycle = defineService('gateway', log, async (owner) => {
    requireNativeUws();
    log.info(uwsBuild, 'uWebSockets.js build');
    const metrics = createGatewayMetrics();
    const agent = owner.own('upstream agent', new Agent({ keepAliveTimeout: 30_000, connections: 256, connectTimeout: cfg.upstreamTimeoutMs }), closeAgent);
    const pools = upstreamPools(cfg);
    const nc = owner.own('nats', await connectNats({ nats: cfg.nats, user: 'gateway', name: `gateway-${cfg.gatewayId}`, log }), drainNats);
    // Revoked tokens (logout, password change) are refused from the moment the watch delivers them.
    const revoked = owner.own('revocation list', await createRevocationList(nc, cfg.natsNamespace, log, cfg.streamReplicas), (r) => r.stop());
    const verify = revocableVerifier(cachedVerifier(createTokenVerifier(authKeySource(nc, subjects)), cfg.tokenCacheSize), revoked);
    const events = createEventsLog(nc, subjects);
    const receipts = createReceipts(nc, subjects, log, cfg.receiptsFlushMs);
    owner.atStop('delivery receipts', () => receipts.flush());
    const presence = owner.own('presence', createPresence({ nc, subjects, gatewayId: cfg.gatewayId, heartbeatMs: cfg.presenceHeartbeatMs, log, usersHere: (): Iterable<string> => theHub.users() }), (p) => p.stop());
    const theHub = owner.own('hub', new Hub(presence), (h) => h.stop());
    hub = theHub;
    metrics.countSocketsWith(() => theHub.sockets.size);
    owner.own('revoked sockets', closeRevokedSockets(revoked, theHub, log), (stop) => stop());
    const guard = owner.own('slow-consumer checks', createBackpressureGuard(theHub, cfg.maxBackpressure, { onClosed: metrics.slowConsumerClosed }), (g) => g.stop());

    const budgetStore = await kvBudgetStore(nc, { bucket: subjects.budgetsBucket, maxAgeSeconds: budgetsMaxAgeSeconds, replicas: cfg.streamReplicas, log });
    const budgets = createBudgets({ store: budgetStore, log, hooks: metrics.budgets });
    const membership = createMembership(nc, subjects);
    const blocks = owner.own('blocks', createGatewayBlocks({ nc, subjects, log }), (b) => b.close());
    const live = owner.own('live frames', createLive({ nc, subjects, log, hub: theHub, membership, blocks, budgets, rules: cfg.liveBudgets }), (l) => l.close());

    const app = uws.App();
    const publish = (topic: string, data: Uint8Array) => {
      app.publish(topic, data, false);
      metrics.framePublished();
      guard.published(topic, data.byteLength);
    };
    const chatFeeds = { userPresence: live.presence, chatEnded: live.chats.ended };
    const theBroker = createBroker({ nc, subjects, log, hub: theHub, publish, receipts, events, ringSize: cfg.recoveryRingSize, gapFillMs: cfg.gapFillMs, metrics, ...chatFeeds });
    broker = owner.own('broker', theBroker, (b) => b.close());
    onReconnect(nc, (disconnectedAt) => {
      metrics.natsReconnected();
      void theBroker.resync(disconnectedAt);
      void blocks.resync();
    });

    const { idleTimeoutSec, maxBackpressure, allowedOrigins, authFrameTimeoutMs, trustedProxies } = cfg;
    const socketDeps = { verify, broker: theBroker, membership, liveChats: live.chats, live, sends: createSocketSends({ nc, subjects, log, timeoutMs: cfg.upstreamTimeoutMs }), events, hub: theHub, log, metrics, stopping: () => stopping, budgets: socketBudgets(budgets, cfg.budgets), blocks };
    const socketCaps = { maxSocketsPerUser: cfg.caps.socketsPerUser, maxPendingAuthPerAddress: cfg.caps.pendingAuthPerAddress, maxReplayEvents: cfg.caps.replayEvents };
    app.ws(gatewayPaths.socket, socketBehavior({ ...socketDeps, idleTimeoutSec, maxBackpressure, allowedOrigins, authFrameTimeoutMs, trustedProxies, ...socketCaps }));
    const readiness = createReadiness({ nc, agent, pools });
    const edge = { trustedProxies, maxRequestsPerAddress: cfg.caps.requestsPerAddress, bodyTimeoutMs: cfg.bodyTimeoutMs, allowedOrigins, addressBudget: budgets('address-requests', cfg.budgets.addressRequests) };
    const sends = createRestSends({ nc, subjects, verify, log, timeoutMs: cfg.upstreamTimeoutMs });
    app.any('/*', createRestHandler({ pools, agent, timeoutMs: cfg.upstreamTimeoutMs, log, readiness, metrics, docs: createApiDocs(), site: createDemoSite(cfg.demoDir, log), sends, ...edge }));
    const metricsServer = owner.own('metrics listener', await startMetricsServer(metrics, { ...cfg.metrics, log }), (m) => m.close());
    metricsPort = metricsServer.port;

    const listenSocket = await new Promise<unknown>((resolve, reject) => {
      app.listen(cfg.host, cfg.port, (s) => (s ? resolve(s) : reject(new Error(`gateway could not listen on ${cfg.host}:${cfg.port}`))));
    });
    port = uws.us_socket_local_port(listenSocket as never);
    owner.atStop('sockets and listener', () => {
      stopping = true;
      return closeEdge(app, listenSocket, theHub);
    });
    log.info({ host: cfg.host, port, metricsPort, gatewayId: cfg.gatewayId, upstreams: cfg.upstreams, namespace: cfg.natsNamespace, ...uwsBuild }, 'gateway routes and upstreams');
    return { port };
  });

  return {
    ...lifecycle,
    get port() {
      return port;
    },
    /** The bound metrics port, null when it could not be bound. */
    get metricsPort() {
      return metricsPort;
    },
    get gatewayId() {
      return cfg.gatewayId;
    },
    /** Counts for tests and logs. */
    stats() {
      return { sockets: hub?.stats().sockets ?? 0, chats: broker?.chats ?? 0, users: hub?.stats().users ?? 0 };
    },
  };
}

/** Keys of the budgets bucket outlive their last write this long: longer than any window (a minute). */
const budgetsMaxAgeSeconds = 300;

async function closeAgent(agent: Agent): Promise<void> {
  await Promise.race([agent.close(), new Promise((r) => setTimeout(r, 5000).unref())]);
  await agent.destroy().catch(() => undefined);
}

/** Stops listening, closes every socket (1001) and lets their close handlers' NATS work go out. */
async function closeEdge(app: TemplatedApp, listenSocket: unknown, theHub: Hub) {
  uws.us_listen_socket_close(listenSocket as never);
  // end() runs each close handler at once, which publishes offline presence for the last socket of a user.
  for (const ws of [...theHub.sockets]) closeSocket(ws, closeCodes.goingAway, 'server shutting down');
  // App.close() (in this build, missing from the typings) closes the idle keep-alive HTTP
  // connections too, which would otherwise hold the process for uWS's ~10 s HTTP idle timeout.
  (app as unknown as { close?: () => void }).close?.();
  // Close handlers leave their NATS work (offline presence, unsubscribes) for after the callback.
  await leaveUws();
}

function upstreamPools(cfg: GatewayConfig): Record<Upstream, UpstreamPool> {
  return {
    auth: new UpstreamPool(cfg.upstreams.auth),
    messages: new UpstreamPool(cfg.upstreams.messages),
    roulette: new UpstreamPool(cfg.upstreams.roulette),
    media: new UpstreamPool(cfg.upstreams.media),
  };
}
