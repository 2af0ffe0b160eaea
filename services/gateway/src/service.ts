import { Agent } from 'undici';
import { closeCodes, createSubjects, limits } from '@chatroulette/contracts';
import { createLogger, type Logger } from '@chatroulette/logger';
import { authKeySource, connectNats, drainNats, onReconnect, type NatsConnection } from '@chatroulette/nats';
import { cachedVerifier, createTokenVerifier } from '@chatroulette/tokens';
import { createBroker, type Broker } from './broker/broker.js';
import { createReceipts, type Receipts } from './broker/receipts.js';
import type { GatewayConfig } from './config.js';
import { createPresence, type Presence } from './presence/presence.js';
import { createRestHandler } from './rest/proxy.js';
import { UpstreamPool } from './rest/upstream-pool.js';
import type { Upstream } from './rest/route-table.js';
import { socketBehavior } from './socket/socket-behavior.js';
import { createBackpressureGuard, type BackpressureGuard } from './socket/backpressure.js';
import { closeSocket, expireSocket, type Socket } from './socket/socket-data.js';
import { ExpirySweep } from './socket/expiry-sweep.js';
import { uws, uwsBuild, type TemplatedApp, type us_listen_socket } from './transport/load-uws.js';

export { configFromEnv, type GatewayConfig } from './config.js';
export { uwsBuild, uwsNative } from './transport/load-uws.js';

/**
 * The public edge: REST routed to the services that own it, and the WebSocket fed from NATS
 * through uWS topics. `start()` resolves to the bound port; `destroy()` frees everything.
 */
export function createService(cfg: GatewayConfig, opts: { log?: Logger } = {}) {
  const log = opts.log ?? createLogger('gateway', cfg.logLevel);
  const subjects = createSubjects(cfg.natsNamespace);
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 256, connectTimeout: cfg.upstreamTimeoutMs });
  const pools: Record<Upstream, UpstreamPool> = {
    auth: new UpstreamPool(cfg.upstreams.auth),
    messages: new UpstreamPool(cfg.upstreams.messages),
    roulette: new UpstreamPool(cfg.upstreams.roulette),
  };
  let nc: NatsConnection | undefined;
  let app: TemplatedApp | undefined;
  let listenSocket: us_listen_socket | undefined;
  let presence: Presence | undefined;
  let broker: Broker | undefined;
  let receipts: Receipts | undefined;
  let guard: BackpressureGuard | undefined;
  let expiry: ExpirySweep<Socket> | undefined;
  let stopping = false;
  let port = 0;

  return {
    get port() {
      return port;
    },
    get gatewayId() {
      return cfg.gatewayId;
    },
    /** Counts for tests and logs. */
    stats() {
      return { sockets: guard?.sockets.size ?? 0, ...(broker?.stats() ?? { chats: 0, users: 0 }) };
    },

    async start(): Promise<{ port: number }> {
      log.info(uwsBuild, 'uWebSockets.js build');
      nc = await connectNats({ url: cfg.natsUrl, name: `gateway-${cfg.gatewayId}`, log });
      const conn = nc;
      const verify = cachedVerifier(createTokenVerifier(authKeySource(conn, subjects)), cfg.tokenCacheSize);
      receipts = createReceipts(conn, subjects, log);
      presence = createPresence({ nc: conn, subjects, gatewayId: cfg.gatewayId, heartbeatMs: cfg.presenceHeartbeatMs, log });
      const theApp = uws.App();
      app = theApp;
      const theGuard = createBackpressureGuard(cfg.maxBackpressure);
      guard = theGuard;
      broker = createBroker({
        nc: conn,
        subjects,
        log,
        publish: (topic, data) => {
          theApp.publish(topic, data, false);
          theGuard.published(topic, data.byteLength);
        },
        receipts,
        ringSize: cfg.recoveryRingSize,
        gapFillMs: cfg.gapFillMs,
      });

      const theBroker = broker;
      onReconnect(conn, () => void theBroker.resync());

      expiry = new ExpirySweep<Socket>((ws) => ws.getUserData(), expireSocket);

      theApp.ws(
        '/api/v1/ws',
        socketBehavior({
          verify,
          broker,
          presence,
          nc: conn,
          subjects,
          log,
          guard: theGuard,
          idleTimeoutSec: cfg.idleTimeoutSec,
          maxBackpressure: cfg.maxBackpressure,
          stopping: () => stopping,
          allowedOrigins: cfg.allowedOrigins,
          authFrameTimeoutMs: cfg.authFrameTimeoutMs,
          expiry,
        }),
      );
      theApp.any('/*', createRestHandler({ pools, agent, timeoutMs: cfg.upstreamTimeoutMs, log, maxBodyBytes: limits.maxBodyBytes }));

      listenSocket = await new Promise<us_listen_socket>((resolve, reject) => {
        theApp.listen(cfg.port, (s) => (s ? resolve(s) : reject(new Error(`gateway could not listen on port ${cfg.port}`))));
      });
      port = uws.us_socket_local_port(listenSocket as never);

      log.info({ port, gatewayId: cfg.gatewayId, upstreams: cfg.upstreams, namespace: cfg.natsNamespace, ...uwsBuild }, 'gateway listening');
      return { port };
    },

    /** Stops listening, closes every socket (1001, offline presence), flushes receipts, drains NATS, closes the pools. */
    async destroy(): Promise<void> {
      if (stopping) return;
      stopping = true;
      guard?.stop();
      expiry?.stop();
      if (listenSocket) uws.us_listen_socket_close(listenSocket);
      listenSocket = undefined;
      // end() runs each close handler at once, which publishes offline presence for the last socket of a user.
      for (const ws of [...(guard?.sockets ?? [])]) closeSocket(ws, closeCodes.goingAway, 'server shutting down');
      // App.close() (in this build, missing from the typings) closes the idle keep-alive HTTP
      // connections too, which would otherwise hold the process for uWS's ~10 s HTTP idle timeout.
      (app as unknown as { close?: () => void } | undefined)?.close?.();
      presence?.stop();
      // Close handlers queue their NATS work (offline presence, unsubscribes) for after the callback.
      await new Promise((resolve) => setImmediate(resolve));
      receipts?.flush();
      broker?.close();
      await drainNats(nc);
      await Promise.race([agent.close(), new Promise((r) => setTimeout(r, 5000).unref())]);
      await agent.destroy().catch(() => undefined);
      log.info({ gatewayId: cfg.gatewayId }, 'gateway stopped');
    },
  };
}

export type GatewayService = ReturnType<typeof createService>;
