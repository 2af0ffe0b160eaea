import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { BlockEvent, Subjects } from '@chatroulette/contracts';
import { encodeJson, ensureStream, publishDurable, type NatsConnection } from '@chatroulette/nats';
import type { Database } from '../db/schema.js';
import { lockUnpublished, markPublished } from '../db/queries/blocks.js';

/**
 * BLOCK_EVENTS, owned by auth: the last event of each pair is all a copy needs (it carries the
 * pair's state and version), so the stream keeps one per subject and never ages them out: a consumer
 * away for any length of time still finds every block in force.
 */
export function ensureBlockEventsStream(nc: NatsConnection, subjects: Subjects, replicas: number, log: Logger): Promise<void> {
  return ensureStream(
    nc,
    {
      name: subjects.blockEventsStream,
      subjects: [subjects.allUserBlocks],
      // Longer than the relay's retries, so a re-publish is dropped as a duplicate.
      duplicateWindowMs: 120_000,
      maxAgeMs: 0,
      maxMsgsPerSubject: 1,
      replicas,
    },
    log,
  );
}

type Pair = { blocker_id: string; blocked_id: string };

/** Publishes block changes committed in user_blocks (after the commit, and the relay for what a failure left). */
export function createBlockPublisher(db: Kysely<Database>, nc: NatsConnection, subjects: Subjects, log: Logger) {
  async function publish(opts: { pairs?: Pair[]; limit: number }): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const rows = await lockUnpublished(trx, opts);
      for (const r of rows) {
        const event: BlockEvent = {
          blocker_id: r.blocker_id,
          blocked_id: r.blocked_id,
          blocker_username: r.blocker_username,
          blocked: r.blocked,
          version: r.version,
          at: r.changed_at.toISOString(),
        };
        await publishDurable(nc, subjects.userBlock(r.blocker_id, r.blocked_id), encodeJson(event), `${r.blocker_id}:${r.blocked_id}:${r.version}`);
        await markPublished(trx, r);
      }
      return rows.length;
    });
  }

  return {
    /** Right after the commit of a change: a failure is logged and left to the relay. */
    async publishNow(pair: Pair): Promise<void> {
      try {
        await publish({ pairs: [pair], limit: 1 });
      } catch (err) {
        log.warn({ err, ...pair }, 'block event not published; the relay will retry');
      }
    },
    /** Publishes what is still unpublished, batch by batch. */
    async relay(): Promise<void> {
      while ((await publish({ limit: 100 })) === 100);
    },
  };
}

export type BlockPublisher = ReturnType<typeof createBlockPublisher>;
