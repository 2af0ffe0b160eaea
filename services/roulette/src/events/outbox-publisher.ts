import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { encodeText, ensureStream, publishDurable, type NatsConnection } from '@chatroulette/nats';
import type { Subjects } from '@chatroulette/contracts';
import type { Database } from '../db/schema.js';
import { deleteFromOutbox, lockOutbox } from '../db/queries/outbox.js';

/** The one place this service publishes: user events from the outbox to JetStream. */
export function createOutboxPublisher(db: Kysely<Database>, nc: NatsConnection, subjects: Subjects, log: Logger) {
  /** Publishes the given rows (or a batch of whatever is left) under row locks, then deletes them. */
  async function publish(ids?: number[], limit = 100): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const rows = await lockOutbox(trx, { ids, limit });
      if (rows.length === 0) return 0;
      await Promise.all(rows.map((r) => publishDurable(nc, r.subject, encodeText(r.body), r.dedup_id)));
      await deleteFromOutbox(
        trx,
        rows.map((r) => r.id),
      );
      return rows.length;
    });
  }

  return {
    ensureStream: (replicas = 1) =>
      ensureStream(
        nc,
        { name: subjects.userEventsStream, subjects: [subjects.allUserEvents], duplicateWindowMs: 120_000, maxAgeMs: 3_600_000, replicas },
        log,
      ),

    /** After a commit: failures are left for the relay. */
    async publishNow(ids: number[]): Promise<void> {
      if (ids.length === 0) return;
      try {
        await publish(ids);
      } catch (err) {
        log.warn({ err, ids }, 'outbox publish failed; the relay will retry');
      }
    },

    /** The relay: publishes whatever an earlier failure or crash left behind. */
    async relay(): Promise<number> {
      let total = 0;
      for (;;) {
        const n = await publish(undefined, 100);
        total += n;
        if (n < 100) return total;
      }
    },
  };
}

export type OutboxPublisher = ReturnType<typeof createOutboxPublisher>;
