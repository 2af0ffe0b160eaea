import {
  commonEnv,
  commonFields,
  databaseEnv,
  databaseFields,
  envBool,
  envInt,
  envPort,
  readConfig,
  streamEnv,
  tokenCacheEnv,
  type LogLevel,
  hostEnv,
  type NatsConnectionConfig,
} from '@chatroulette/config';
import type { BudgetRule } from '@chatroulette/budgets';
import type { SendRate } from './domain/send-rate.js';

/** The messages service's configuration, complete: every tunable has its value here. */
export interface MessagesConfig {
  /** NATS_URL and the NATS credentials and TLS files. */
  nats: NatsConnectionConfig;
  natsNamespace: string;
  /** The PostgreSQL server URL; the service creates and migrates `databaseName` on it. */
  databaseUrl: string;
  databaseName: string;
  databasePoolSize: number;
  port: number;
  /** The address the HTTP listener binds (HOST). */
  host: string;
  logLevel: LogLevel;
  /** chat_events rows kept per chat, and for how long; older published rows are pruned. */
  eventRetentionCount: number;
  eventRetentionHours: number;
  /** How long the JetStream stream keeps chat events. */
  streamMaxAgeMs: number;
  /** Copies of the chat events stream (3 on a NATS cluster of three). */
  streamReplicas: number;
  /** How often published events beyond retention are pruned. */
  pruneIntervalMs: number;
  /** How often the outbox relay looks for events a crash left unpublished. */
  relayIntervalMs: number;
  /** How long usernames fetched from auth are cached. */
  userCacheTtlMs: number;
  /**
   * TEST-ONLY: exit the process right after a message send commits, before it is published,
   * so a test can show that the relay publishes what a crash left behind. Never set in production.
   */
  faultExitAfterCommit: boolean;
  /** Messages a user may store: checked by the send statements themselves (db/queries/send-budget.ts). */
  sendRate: SendRate;
  /** What else a user may do, per window, across every instance (budgets in this service's database). */
  budgets: MessagesBudgets;
  /** Verified tokens remembered until their exp (0: verify every request). */
  tokenCacheSize: number;
}

export interface MessagesBudgets {
  edits: BudgetRule;
  deletes: BudgetRule;
  /** Likes and unlikes together. */
  likes: BudgetRule;
  /** Messages marked read. */
  reads: BudgetRule;
  /** Chats created over REST. */
  chats: BudgetRule;
}

/** Every variable messages reads, with its default and its range: the one place they are written. */
const shape = {
  ...commonEnv,
  ...databaseEnv('chatroulette_messages'),
  ...streamEnv,
  ...tokenCacheEnv,
  PORT: envPort(3002),
  ...hostEnv('127.0.0.1'),
  EVENT_RETENTION_COUNT: envInt(10_000, 1),
  EVENT_RETENTION_HOURS: envInt(168, 1),
  CHAT_STREAM_MAX_AGE_HOURS: envInt(168, 1),
  PRUNE_INTERVAL_MS: envInt(60_000, 10, 86_400_000),
  RELAY_INTERVAL_MS: envInt(250, 10, 60_000),
  USER_CACHE_TTL_MS: envInt(60_000, 0, 86_400_000),
  /** TEST-ONLY fault hook, see MessagesConfig.faultExitAfterCommit. */
  FAULT_EXIT_AFTER_COMMIT: envBool(false),
  RATE_MESSAGES_PER_SECOND: envInt(20, 1, 1_000_000),
  RATE_MESSAGES_BURST: envInt(40, 1, 1_000_000),
  RATE_EDITS_PER_MINUTE: envInt(60, 1, 1_000_000),
  RATE_DELETES_PER_MINUTE: envInt(60, 1, 1_000_000),
  RATE_LIKES_PER_MINUTE: envInt(120, 1, 1_000_000),
  RATE_READS_PER_MINUTE: envInt(600, 1, 1_000_000),
  RATE_CHATS_PER_MINUTE: envInt(30, 1, 1_000_000),
};

const perMinute = (points: number): BudgetRule => ({ points, perSeconds: 60 });

/** Reads the environment once; throws ConfigError naming the first bad variable. */
export function configFromEnv(source: NodeJS.ProcessEnv = process.env): MessagesConfig {
  const e = readConfig(shape, source);
  return Object.freeze({
    ...commonFields(e),
    ...databaseFields(e),
    eventRetentionCount: e.EVENT_RETENTION_COUNT,
    eventRetentionHours: e.EVENT_RETENTION_HOURS,
    streamMaxAgeMs: e.CHAT_STREAM_MAX_AGE_HOURS * 3_600_000,
    streamReplicas: e.NATS_STREAM_REPLICAS,
    pruneIntervalMs: e.PRUNE_INTERVAL_MS,
    relayIntervalMs: e.RELAY_INTERVAL_MS,
    userCacheTtlMs: e.USER_CACHE_TTL_MS,
    faultExitAfterCommit: e.FAULT_EXIT_AFTER_COMMIT,
    sendRate: Object.freeze({ perSecond: e.RATE_MESSAGES_PER_SECOND, burst: e.RATE_MESSAGES_BURST }),
    budgets: Object.freeze({
      edits: perMinute(e.RATE_EDITS_PER_MINUTE),
      deletes: perMinute(e.RATE_DELETES_PER_MINUTE),
      likes: perMinute(e.RATE_LIKES_PER_MINUTE),
      reads: perMinute(e.RATE_READS_PER_MINUTE),
      chats: perMinute(e.RATE_CHATS_PER_MINUTE),
    }),
    tokenCacheSize: e.TOKEN_CACHE_SIZE,
  });
}
