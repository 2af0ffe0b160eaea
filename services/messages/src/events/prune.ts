import type { Logger } from 'pino';
import type { Db } from '../db/queries/db.js';
import { pruneEvents } from '../db/queries/events.js';

/** Periodically drops published outbox rows beyond the retention count per chat or age. */
export function createPruner(db: Db, log: Logger, keep: { count: number; hours: number }, intervalMs = 60_000) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function runOnce(): Promise<number> {
    const deleted = await pruneEvents(db, keep.count, keep.hours);
    if (deleted > 0) log.info({ deleted }, 'pruned chat events');
    return deleted;
  }

  return {
    runOnce,
    start() {
      timer = setInterval(() => {
        if (running) return;
        running = runOnce()
          .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'prune failed'))
          .finally(() => (running = undefined));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
