import type { Kysely } from 'kysely';
import type { Logger } from '@chatroulette/logger';
import type { NatsConnection } from '@chatroulette/nats';
import type { Subjects } from '@chatroulette/contracts';
import type { SafetyRules } from './config.js';
import type { Database } from './db/schema.js';
import type { Publisher } from './events/publisher.js';
import type { RouletteMetrics } from './metrics.js';
import type { Turnstile } from './use-cases/matching-lock.js';
import type { Matcher } from './use-cases/matcher.js';
import type { MatcherBatch } from './use-cases/match-queue.js';
import type { Searcher } from './use-cases/pair-crowd.js';

/** What the use cases share: storage, the bus, the one publisher, and the tuning rules. */
export interface RouletteContext {
  db: Kysely<Database>;
  /** The matching lock's own connection (withMatchingLock). */
  lockDb: Kysely<Database>;
  /** For requests to the other services (clients/); publishing goes through `publisher`. */
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  publisher: Publisher;
  metrics: RouletteMetrics;
  /** This instance's callers pass here one at a time before taking the database matching lock (see withMatchingLock). */
  matchingTurnstile: Turnstile;
  /** Searches (and the periodic matcher) join its batches, one at a time on this instance. */
  matcher: Matcher<Searcher, MatcherBatch>;
  rules: {
    skipCooldownMs: number;
    interestWaitMs: number;
    /** A pending match or an unfinished end is retried by the relay after this long. */
    retryAfterMs: number;
    /** A searcher without a socket leaves the queue after this long without a search, find or activity call. */
    idleSearchMs: number;
  };
  /** Reports, suspensions and the moderators. */
  safety: SafetyRules;
}
