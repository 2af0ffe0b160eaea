import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SigningKey, TokenVerifier } from '@chatroulette/tokens';
import type { AuthConfig } from './config.js';
import type { Database } from './db/schema.js';
import type { AuthBudgets } from './domain/budgets.js';
import type { HashQueue } from './domain/hash-queue.js';
import type { LockoutRules } from './domain/lockout.js';
import type { BlockPublisher } from './events/block-events.js';
import type { AuthEvents } from './events/publisher.js';
import type { Revocations } from './events/revocations.js';

/** What routes, NATS handlers, jobs and use cases share once the service has started. */
export interface AuthContext {
  cfg: AuthConfig;
  log: Logger;
  db: Kysely<Database>;
  key: SigningKey;
  /** Refuses revoked tokens too (logout, password change, retired key). */
  verify: TokenVerifier;
  /** A hash of nothing, verified for unknown usernames so they cost the same time as known ones. */
  dummyHash: string;
  /** Failed-login lockout, from the config. */
  lockout: LockoutRules;
  /** Register and login budgets, checked before any hash. */
  budgets: AuthBudgets;
  /** The bound on password hashes in flight. */
  hashes: HashQueue;
  /** The one place auth publishes presence to NATS. */
  events: AuthEvents;
  /** Block changes, to JetStream (BLOCK_EVENTS), after their commit. */
  blockEvents: BlockPublisher;
  /** The revocation bucket's writer. */
  revocations: Revocations;
}
