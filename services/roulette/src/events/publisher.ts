import type { Kysely } from 'kysely';
import type { Logger } from '@chatroulette/logger';
import { timed } from '@chatroulette/metrics';
import { encodeText, publishDurable, type NatsConnection } from '@chatroulette/nats';
import type { Database } from '../db/schema.js';
import { takeFromOutbox } from '../db/queries/outbox.js';
import type { RouletteMetrics } from '../metrics.js';

/** The one place this service publishes: user events committed to the outbox, to JetStream. */
export function createPublisher(db: Kysely<Database>, nc: NatsConnection, log: Logger, metrics: RouletteMetrics) {
  /** Publishes the given rows (or a batch of whatever is left), taken out of the outbox in the same transaction. */
  async function publish(ids: number[] | undefined, limit: number): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const rows = (await takeFromOutbox(trx, { ids, limit })).sort((a, b) => a.id - b.id);
      await Promise.all(rows.map((r) => timed(metrics.jetstreamPublish, () => publishDurable(nc, r.subject, encodeText(r.body), r.dedup_id))));
      return rows.length;
    });
  }

  return {
    /** Right after the commit that wrote `ids`: a failure is logged and left to the relay. */
    async publishNow(ids: number[]): Promise<void> {
      if (ids.length === 0) return;
      try {
        await publish(ids, ids.length);
      } catch (err) {
        log.warn({ err, ids }, 'outbox publish failed; the relay will retry');
      }
    },

    /** Publishes up to `limit` of the oldest rows left behind (by a failure, a crash); returns how many. */
    publishLeftBehind: (limit: number) => publish(undefined, limit),
  };
}

export type Publisher = ReturnType<typeof createPublisher>;
