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
} from '@chatroulette/config';

/** The messages service's configuration, complete: every tunable has its value here. */
export interface MessagesConfig {
  natsUrl: string;
  natsNamespace: string;
  /** The PostgreSQL server URL; the service creates and migrates `databaseName` on it. */
  databaseUrl: string;
  databaseName: string;
  databasePoolSize: number;
  port: number;
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
  /** Messages a user may send per second (a token bucket per user, per instance), and the burst allowed at once. */
  rateMessagesPerSecond: number;
  rateMessagesBurst: number;
  /** Verified tokens remembered until their exp (0: verify every request). */
  tokenCacheSize: number;
}

/** The one place the tunables get their defaults (the environment's defaults are these too). */
export const defaults = {
  databasePoolSize: 10,
  eventRetentionCount: 10_000,
  eventRetentionHours: 168,
  streamMaxAgeMs: 168 * 3600 * 1000,
  streamReplicas: 1,
  relayIntervalMs: 250,
  pruneIntervalMs: 60_000,
  userCacheTtlMs: 60_000,
  faultExitAfterCommit: false,
  rateMessagesPerSecond: 20,
  rateMessagesBurst: 40,
  tokenCacheSize: 20_000,
} as const satisfies Partial<MessagesConfig>;

type Tunable = keyof typeof defaults;

/** What a caller (a test, another service's test stack) gives: the tunables it leaves out take their defaults. */
export type MessagesConfigInput = Omit<MessagesConfig, Tunable> & Partial<Pick<MessagesConfig, Tunable>>;

export function resolveConfig(input: MessagesConfigInput): MessagesConfig {
  const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  return Object.freeze({ ...defaults, ...given } as MessagesConfig);
}

const env = {
  ...commonEnv,
  ...databaseEnv('chatroulette_messages'),
  ...streamEnv,
  ...tokenCacheEnv,
  PORT: envPort(3002),
  EVENT_RETENTION_COUNT: envInt(defaults.eventRetentionCount, 1),
  EVENT_RETENTION_HOURS: envInt(defaults.eventRetentionHours, 1),
  CHAT_STREAM_MAX_AGE_HOURS: envInt(defaults.streamMaxAgeMs / 3_600_000, 1),
  /** TEST-ONLY fault hook, see MessagesConfig.faultExitAfterCommit. */
  FAULT_EXIT_AFTER_COMMIT: envBool(defaults.faultExitAfterCommit),
  RATE_MESSAGES_PER_SECOND: envInt(defaults.rateMessagesPerSecond, 1, 1_000_000),
  RATE_MESSAGES_BURST: envInt(defaults.rateMessagesBurst, 1, 1_000_000),
};

/** Reads the environment once; throws ConfigError naming the first bad variable. */
export function configFromEnv(source: NodeJS.ProcessEnv = process.env): MessagesConfig {
  const e = readConfig(env, source);
  return resolveConfig({
    ...commonFields(e),
    ...databaseFields(e),
    eventRetentionCount: e.EVENT_RETENTION_COUNT,
    eventRetentionHours: e.EVENT_RETENTION_HOURS,
    streamMaxAgeMs: e.CHAT_STREAM_MAX_AGE_HOURS * 3_600_000,
    streamReplicas: e.NATS_STREAM_REPLICAS,
    faultExitAfterCommit: e.FAULT_EXIT_AFTER_COMMIT,
    rateMessagesPerSecond: e.RATE_MESSAGES_PER_SECOND,
    rateMessagesBurst: e.RATE_MESSAGES_BURST,
    tokenCacheSize: e.TOKEN_CACHE_SIZE,
  });
}
