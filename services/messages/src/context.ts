import type { Logger } from 'pino';
import type { Budget } from '@chatroulette/budgets';
import type { Db } from './db/queries/db.js';
import type { Publisher } from './events/publisher.js';
import type { SendQueue } from './db/send-queue.js';
import type { UserDirectory } from './clients/user-directory.js';
import type { MessagesBudgets, MessagesConfig } from './config.js';
import type { MessagesMetrics } from './metrics.js';

/** What the use cases need: built once by createService, passed to routes and NATS handlers. */
export interface MessagesContext {
  db: Db;
  publisher: Publisher;
  /** Sends are stored through it (group commit under load). */
  sends: SendQueue;
  users: UserDirectory;
  cfg: MessagesConfig;
  log: Logger;
  metrics: MessagesMetrics;
  /** One budget per rule of cfg.budgets, shared by every instance (the budgets table), for REST and socket alike. */
  budgets: Record<keyof MessagesBudgets, Budget>;
}
