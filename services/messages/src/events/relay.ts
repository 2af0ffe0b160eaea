import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { Subjects } from '@chatroulette/contracts';
import type { Db } from '../db/queries/db.js';
import { lockUnpublished, markPublished } from '../db/queries/events.js';
import { groupBy } from '../domain/group-by.js';
import type { MessagesMetrics } from '../metrics.js';
import { publishEvent } from './publisher.js';

/** Events younger than this are the live publisher's; the relay takes only what it left behind. */
const GRACE_MS = 1000;
const BATCH = 500;

/**
 * One round of the outbox relay: publishes events whose publish a crash (or a NATS outage) skipped,
 * in seq order per chat, and marks them. Rows are locked with SKIP LOCKED, so several instances
 * share the work. Returns how many were published. Run by the `relay` job (jobs.ts).
 */
export async function relayLeftBehind(nc: NatsConnection, db: Db, subjects: Subjects, log: Logger, metrics: MessagesMetrics): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const rows = await lockUnpublished(tx, GRACE_MS, BATCH);
    const byChat = groupBy(rows, (r) => r.chat_id);
    let published = 0;
    let failed = false;
    for (const [chatId, events] of byChat) {
      const done: number[] = [];
      for (const e of events) {
        try {
          await publishEvent(nc, subjects, e, metrics);
        } catch (err) {
          // Keep the chat's order, and do not hold the locks through a NATS outage: retry next round.
          log.warn({ err: (err as Error).message, chatId, seq: e.seq }, 'relay publish failed');
          failed = true;
          break;
        }
        done.push(e.seq);
      }
      await markPublished(tx, chatId, done);
      published += done.length;
      if (failed) break;
    }
    metrics.relayed.inc(published);
    if (published > 0) log.info({ published }, 'relay published events left behind');
    return published;
  });
}
