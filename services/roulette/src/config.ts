import {
  commonEnv,
  commonFields,
  databaseEnv,
  databaseFields,
  envInt,
  envPort,
  readConfig,
  streamEnv,
  tokenCacheEnv,
  type LogLevel,
  hostEnv,
  type NatsConnectionConfig,
} from '@chatroulette/config';
import { z } from 'zod';
import type { BudgetRule } from '@chatroulette/budgets';

export interface RouletteConfig {
  port: number;
  /** The address the HTTP listener binds (HOST). */
  host: string;
  /** NATS_URL and the NATS credentials and TLS files. */
  nats: NatsConnectionConfig;
  natsNamespace: string;
  /** The PostgreSQL server; the service creates and migrates `databaseName` on it. */
  databaseUrl: string;
  databaseName: string;
  databasePoolSize: number;
  logLevel: LogLevel;
  /** How long a user whose sockets are all gone (on every gateway) keeps their queue place or match. */
  graceMs: number;
  /** A searcher with no socket leaves the queue after this long without a search, find or activity call. */
  idleSearchMs: number;
  /** A pair where one skipped the other is not matched again for this long. */
  skipCooldownMs: number;
  /** After waiting this long, a searcher with interests takes a partner without a shared one. */
  interestWaitMs: number;
  /** Periods of the jobs (jobs.ts); small in tests. */
  graceLoopMs: number;
  matcherLoopMs: number;
  relayLoopMs: number;
  /** A pending match or an unfinished end older than this is finished by the relay job. */
  retryAfterMs: number;
  /** Copies of the user events stream (3 on a NATS cluster of three). */
  streamReplicas: number;
  /** What a user may do per minute, across every instance (budgets in this service's database). */
  budgets: RouletteBudgets;
  /** Verified tokens remembered until their exp (0: verify every request). */
  tokenCacheSize: number;
  /** Reports, suspensions and who moderates. */
  safety: SafetyRules;
}

export interface SafetyRules {
  /** Reports from this many different users within `reportWindowHours` suspend the reported user. */
  reportSuspendThreshold: number;
  reportWindowHours: number;
  /** How long such a suspension lasts. */
  suspensionHours: number;
  /** Usernames (lower case) whose tokens may list reports and suspend or lift (MODERATOR_USERNAMES). */
  moderators: ReadonlySet<string>;
}

export interface RouletteBudgets {
  /** POST search and GET find together. */
  searches: BudgetRule;
  skips: BudgetRule;
  cancels: BudgetRule;
  status: BudgetRule;
  saves: BudgetRule;
  reports: BudgetRule;
}

/** Every variable roulette reads, with its default and its range: the one place they are written. */
const shape = {
  ...commonEnv,
  ...databaseEnv('chatroulette_roulette'),
  ...streamEnv,
  ...tokenCacheEnv,
  PORT: envPort(3003),
  ...hostEnv('127.0.0.1'),
  ROULETTE_GRACE_MS: envInt(15_000, 0, 3_600_000),
  ROULETTE_IDLE_SEARCH_MS: envInt(60_000, 100, 3_600_000),
  ROULETTE_SKIP_COOLDOWN_MS: envInt(300_000, 0, 7 * 86_400_000),
  ROULETTE_INTEREST_WAIT_MS: envInt(5000, 0, 3_600_000),
  ROULETTE_GRACE_LOOP_MS: envInt(500, 10, 60_000),
  ROULETTE_MATCHER_LOOP_MS: envInt(1000, 10, 60_000),
  ROULETTE_RELAY_LOOP_MS: envInt(1000, 10, 60_000),
  ROULETTE_RETRY_AFTER_MS: envInt(10_000, 100, 3_600_000),
  RATE_SEARCHES_PER_MINUTE: envInt(30, 1, 1_000_000),
  RATE_SKIPS_PER_MINUTE: envInt(20, 1, 1_000_000),
  RATE_CANCELS_PER_MINUTE: envInt(30, 1, 1_000_000),
  RATE_STATUS_PER_MINUTE: envInt(120, 1, 1_000_000),
  RATE_SAVES_PER_MINUTE: envInt(10, 1, 1_000_000),
  RATE_REPORTS_PER_MINUTE: envInt(10, 1, 1_000_000),
  REPORT_SUSPEND_THRESHOLD: envInt(3, 1, 1000),
  REPORT_WINDOW_HOURS: envInt(24, 1, 8760),
  SUSPENSION_HOURS: envInt(24, 1, 8760),
  MODERATOR_USERNAMES: z.string().default(''),
};

/** `ann, Bob` -> {ann, bob}: usernames are unique without regard to case. */
const usernameSet = (list: string) => new Set(list.split(',').map((u) => u.trim().toLowerCase()).filter(Boolean));

const perMinute = (points: number): BudgetRule => ({ points, perSeconds: 60 });

/** env -> RouletteConfig; throws ConfigError (one line naming the variable) when something is wrong. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RouletteConfig {
  const e = readConfig(shape, env);
  return Object.freeze({
    ...commonFields(e),
    ...databaseFields(e),
    graceMs: e.ROULETTE_GRACE_MS,
    idleSearchMs: e.ROULETTE_IDLE_SEARCH_MS,
    skipCooldownMs: e.ROULETTE_SKIP_COOLDOWN_MS,
    interestWaitMs: e.ROULETTE_INTEREST_WAIT_MS,
    graceLoopMs: e.ROULETTE_GRACE_LOOP_MS,
    matcherLoopMs: e.ROULETTE_MATCHER_LOOP_MS,
    relayLoopMs: e.ROULETTE_RELAY_LOOP_MS,
    retryAfterMs: e.ROULETTE_RETRY_AFTER_MS,
    streamReplicas: e.NATS_STREAM_REPLICAS,
    budgets: Object.freeze({
      searches: perMinute(e.RATE_SEARCHES_PER_MINUTE),
      skips: perMinute(e.RATE_SKIPS_PER_MINUTE),
      cancels: perMinute(e.RATE_CANCELS_PER_MINUTE),
      status: perMinute(e.RATE_STATUS_PER_MINUTE),
      saves: perMinute(e.RATE_SAVES_PER_MINUTE),
      reports: perMinute(e.RATE_REPORTS_PER_MINUTE),
    }),
    tokenCacheSize: e.TOKEN_CACHE_SIZE,
    safety: Object.freeze({
      reportSuspendThreshold: e.REPORT_SUSPEND_THRESHOLD,
      reportWindowHours: e.REPORT_WINDOW_HOURS,
      suspensionHours: e.SUSPENSION_HOURS,
      moderators: usernameSet(e.MODERATOR_USERNAMES),
    }),
  });
}
