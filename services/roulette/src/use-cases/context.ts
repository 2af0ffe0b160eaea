import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { NatsConnection } from '@chatroulette/nats';
import type { Subjects } from '@chatroulette/contracts';
import type { Database } from '../db/schema.js';
import type { OutboxPublisher } from '../events/outbox-publisher.js';
import type { Mutex } from './matching-lock.js';

/** What the use cases share: storage, the bus, and the tuning rules. */
export interface RouletteContext {
  db: Kysely<Database>;
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  outbox: OutboxPublisher;
  /** In-process queue in front of the database matching lock (see withMatchingLock). */
  matchingMutex: Mutex;
  rules: {
    skipCooldownMs: number;
    interestWaitMs: number;
    /** A pending match or an unfinished end is retried by the relay after this long. */
    retryAfterMs: number;
  };
}
