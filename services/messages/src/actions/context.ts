import type { Logger } from 'pino';
import type { Db } from '../db/queries/db.js';
import type { Publisher } from '../events/publisher.js';
import type { SendQueue } from '../db/send-queue.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { ResolvedConfig } from '../config.js';

/** What the actions need: built once by createService, passed to routes and request handlers. */
export interface Ctx {
  db: Db;
  publisher: Publisher;
  /** Sends are stored through it (group commit under load). */
  sends: SendQueue;
  users: UserDirectory;
  cfg: ResolvedConfig;
  log: Logger;
}
