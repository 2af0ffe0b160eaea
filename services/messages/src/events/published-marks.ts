import { sql } from 'kysely';
import type { Logger } from 'pino';
import { createBatcher } from '@chatroulette/runtime';
import type { Db } from '../db/queries/db.js';

type Published = { chat_id: string; seq: number };

/**
 * Marks published events in batches: one UPDATE per 20 ms (or per 1000 events) instead of one
 * commit per event, so a sent message costs one commit, not two. An event whose mark is lost (a
 * crash before the flush) is published again by the relay, and JetStream drops it as a duplicate.
 */
export function createPublishedMarks(db: Db, log: Logger) {
  const batcher = createBatcher<Published>({
    maxItems: 1000,
    maxDelayMs: 20,
    flush: async (batch) => {
      try {
        await sql`
          update chat_events set published_at = now()
          from unnest(${batch.map((e) => e.chat_id)}::uuid[], ${batch.map((e) => e.seq)}::bigint[]) as done(chat_id, seq)
          where chat_events.chat_id = done.chat_id and chat_events.seq = done.seq and published_at is null`.execute(db);
      } catch (err) {
        log.warn({ err: (err as Error).message, events: batch.length }, 'could not mark events published; the relay will');
      }
    },
  });
  return {
    mark: (e: Published): void => batcher.add({ chat_id: e.chat_id, seq: e.seq }),
    /** Writes what is pending; call before the database closes. */
    flush: () => batcher.flush(),
  };
}
