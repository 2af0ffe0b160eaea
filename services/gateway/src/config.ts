import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { commonEnv, envInt, envPort, hostEnv, readConfig, commonFields, streamEnv, tokenCacheEnv, type LogLevel, type NatsConnectionConfig } from '@chatroulette/config';
import type { BudgetRule } from '@chatroulette/budgets';
import { parseNetworks, type Networks } from '@chatroulette/http/ip';
import { parseAllowedOrigins, type OriginAllowlist } from './transport/origin-check.js';

/** A comma-separated list of http(s) base URLs, used round-robin. */
const upstreamList = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .refine((list) => list.every(isHttpUrl), 'must be comma-separated http(s) URLs')
    .transform((list) => list.map((u) => new URL(u).origin));

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const gatewayEnv = {
  ...commonEnv,
  PORT: envPort(8080),
  /** The public listener's address: the gateway is the edge, so every interface by default. */
  ...hostEnv('0.0.0.0'),
  /**
   * Comma-separated CIDRs of proxies in front of the gateway whose X-Forwarded-For is believed
   * (none by default: the client's header is replaced by the peer's address).
   */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .refine((v) => {
      try {
        parseNetworks(v);
        return true;
      } catch {
        return false;
      }
    }, 'must be comma-separated IPv4/IPv6 CIDRs'),
  /** REST requests one client address (IPv6: its /64) may have in flight at once; 0: no cap. */
  GATEWAY_MAX_REQUESTS_PER_ADDRESS: envInt(32, 0, 1_000_000),
  /** How long a request body may take to arrive whole before the answer is 408. */
  GATEWAY_BODY_TIMEOUT_MS: envInt(15_000, 100, 600_000),
  /** Open sockets of one user on this gateway; 0: no cap. */
  GATEWAY_MAX_SOCKETS_PER_USER: envInt(10, 0, 1_000_000),
  /** Sockets of one client address waiting for their first-frame auth; 0: no cap. */
  GATEWAY_MAX_PENDING_AUTH_PER_ADDRESS: envInt(16, 0, 1_000_000),
  /** The most events a `since` replay sends; a client further behind gets `recovered: false`. */
  GATEWAY_MAX_REPLAY_EVENTS: envInt(1000, 0, 1_000_000),
  GATEWAY_ID: z.string().min(1).max(200).optional(),
  AUTH_URL: upstreamList('http://127.0.0.1:3001'),
  MESSAGES_URL: upstreamList('http://127.0.0.1:3002'),
  ROULETTE_URL: upstreamList('http://127.0.0.1:3003'),
  MEDIA_URL: upstreamList('http://127.0.0.1:3004'),
  UPSTREAM_TIMEOUT_MS: envInt(10_000, 100, 600_000),
  PRESENCE_HEARTBEAT_MS: envInt(5000, 100, 600_000),
  /** Bytes a socket may have waiting to be sent before it is closed as a slow consumer (4001). */
  MAX_BACKPRESSURE_BYTES: envInt(1024 * 1024, 16 * 1024, 512 * 1024 * 1024),
  /** Seconds without traffic before a socket is closed; uWS pings automatically before that. */
  IDLE_TIMEOUT_S: envInt(90, 8, 960),
  /** Recent frames kept per chat for `since` replays without a round trip. */
  RECOVERY_RING_SIZE: envInt(256, 0, 100_000),
  /** How long a gap in a chat's sequence may stay open before it is fetched from messages. */
  GAP_FILL_MS: envInt(100, 1, 60_000),
  /** How long delivery receipts gather before they go to messages in one report (one statement, one commit there). */
  RECEIPTS_FLUSH_MS: envInt(20, 1, 5_000),
  /** Browser origins allowed to call the gateway (REST CORS and socket upgrades), comma-separated, `null` for file:// pages; `*` or unset allows all. */
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .refine((v) => {
      try {
        parseAllowedOrigins(v);
        return true;
      } catch {
        return false;
      }
    }, 'must be * or comma-separated http(s) origins (or null)'),
  /** How long a socket opened for first-frame auth may stay without its auth frame. */
  AUTH_FRAME_TIMEOUT_MS: envInt(5000, 100, 600_000),
  /** The Prometheus metrics listener, apart from the public port (0: any free port). */
  METRICS_PORT: envPort(9464),
  METRICS_HOST: z.string().min(1).max(255).default('127.0.0.1'),
  ...tokenCacheEnv,
  ...streamEnv,
  /** Budgets, per minute and shared by every gateway (a NATS KV bucket). */
  RATE_SOCKET_UPGRADES_PER_MINUTE: envInt(60, 1, 1_000_000),
  RATE_SINCE_REPLAYS_PER_MINUTE: envInt(60, 1, 1_000_000),
  RATE_ADDRESS_REQUESTS_PER_MINUTE: envInt(3000, 1, 100_000_000),
  RATE_ADDRESS_UPGRADES_PER_MINUTE: envInt(300, 1, 100_000_000),
  /** Live frames per user, over every gateway: typing frames forwarded (a throttled one costs nothing), WebRTC signals. */
  RATE_TYPING_PER_MINUTE: envInt(120, 1, 1_000_000),
  RATE_RTC_SIGNALS_PER_SECOND: envInt(20, 1, 1_000_000),
  RATE_RTC_SIGNALS_BURST: envInt(100, 1, 1_000_000),
  /** The built demo app served at GET / (apps/demo/dist by default); `off`: none. */
  DEMO_DIR: z.string().max(4096).optional(),
};

/** apps/demo/dist of this repository, from services/gateway/src. */
const defaultDemoDir = fileURLToPath(new URL('../../../apps/demo/dist', import.meta.url));

/**
 * Per minute, leased: each gateway takes 1 % of the window (at most 50) from the store at once, so a
 * budget asked on every request or upgrade costs one store write per lease. Under 200 a minute (the
 * per-user defaults) the lease is 1: every consume asks the store.
 */
const perMinute = (points: number): BudgetRule => ({ points, perSeconds: 60, lease: Math.max(1, Math.min(50, Math.floor(points / 100))) });

export interface GatewayConfig {
  /** NATS_URL and the NATS credentials and TLS files. */
  nats: NatsConnectionConfig;
  natsNamespace: string;
  port: number;
  /** The address the HTTP listener binds (HOST). */
  host: string;
  logLevel: LogLevel;
  /** Proxies whose X-Forwarded-For hops are believed. */
  trustedProxies: Networks;
  /** Concurrency caps at the edge (0: none); the rate budgets are elsewhere. */
  caps: { requestsPerAddress: number; socketsPerUser: number; pendingAuthPerAddress: number; replayEvents: number };
  bodyTimeoutMs: number;
  gatewayId: string;
  upstreams: { auth: string[]; messages: string[]; roulette: string[]; media: string[] };
  upstreamTimeoutMs: number;
  presenceHeartbeatMs: number;
  maxBackpressure: number;
  idleTimeoutSec: number;
  recoveryRingSize: number;
  gapFillMs: number;
  receiptsFlushMs: number;
  /** Browser origins allowed for REST and sockets; null: every origin. */
  allowedOrigins: OriginAllowlist;
  authFrameTimeoutMs: number;
  tokenCacheSize: number;
  /** Copies of the budgets and revocation buckets on a NATS cluster. */
  streamReplicas: number;
  /** Where GET /metrics is served: never the public port. */
  metrics: { host: string; port: number };
  /** Per user: socket admissions and `since` replays; per address: REST requests and upgrades. */
  budgets: { upgrades: BudgetRule; replays: BudgetRule; addressRequests: BudgetRule; addressUpgrades: BudgetRule };
  /** Per user: typing frames and WebRTC signals (live/). */
  liveBudgets: { typing: BudgetRule; rtcSignals: BudgetRule };
  /** The folder of the built demo app served at GET /; null: none served. */
  demoDir: string | null;
}

/** env -> validated, typed config; throws ConfigError naming the variable. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const e = readConfig(gatewayEnv, env);
  return Object.freeze({
    ...commonFields(e),
    trustedProxies: parseNetworks(e.TRUSTED_PROXIES),
    caps: {
      requestsPerAddress: e.GATEWAY_MAX_REQUESTS_PER_ADDRESS,
      socketsPerUser: e.GATEWAY_MAX_SOCKETS_PER_USER,
      pendingAuthPerAddress: e.GATEWAY_MAX_PENDING_AUTH_PER_ADDRESS,
      replayEvents: e.GATEWAY_MAX_REPLAY_EVENTS,
    },
    bodyTimeoutMs: e.GATEWAY_BODY_TIMEOUT_MS,
    gatewayId: e.GATEWAY_ID ?? defaultGatewayId(),
    upstreams: { auth: e.AUTH_URL, messages: e.MESSAGES_URL, roulette: e.ROULETTE_URL, media: e.MEDIA_URL },
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    presenceHeartbeatMs: e.PRESENCE_HEARTBEAT_MS,
    maxBackpressure: e.MAX_BACKPRESSURE_BYTES,
    idleTimeoutSec: e.IDLE_TIMEOUT_S,
    recoveryRingSize: e.RECOVERY_RING_SIZE,
    gapFillMs: e.GAP_FILL_MS,
    receiptsFlushMs: e.RECEIPTS_FLUSH_MS,
    allowedOrigins: parseAllowedOrigins(e.ALLOWED_ORIGINS),
    authFrameTimeoutMs: e.AUTH_FRAME_TIMEOUT_MS,
    tokenCacheSize: e.TOKEN_CACHE_SIZE,
    streamReplicas: e.NATS_STREAM_REPLICAS,
    metrics: { host: e.METRICS_HOST, port: e.METRICS_PORT },
    budgets: {
      upgrades: perMinute(e.RATE_SOCKET_UPGRADES_PER_MINUTE),
      replays: perMinute(e.RATE_SINCE_REPLAYS_PER_MINUTE),
      addressRequests: perMinute(e.RATE_ADDRESS_REQUESTS_PER_MINUTE),
      addressUpgrades: perMinute(e.RATE_ADDRESS_UPGRADES_PER_MINUTE),
    },
    liveBudgets: {
      typing: perMinute(e.RATE_TYPING_PER_MINUTE),
      // A call starts with a burst (offer, answer, a few dozen candidates), then a trickle.
      rtcSignals: { points: e.RATE_RTC_SIGNALS_PER_SECOND, perSeconds: 1, burst: Math.max(e.RATE_RTC_SIGNALS_BURST, e.RATE_RTC_SIGNALS_PER_SECOND) },
    },
    demoDir: e.DEMO_DIR === undefined ? defaultDemoDir : e.DEMO_DIR === 'off' ? null : e.DEMO_DIR,
  });
}

function defaultGatewayId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
