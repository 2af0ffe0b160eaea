import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/queries/db.js';

/**
 * Marks published events in batches: one UPDATE per `flushMs` instead of one commit per event, so a
 * sent message costs one commit, not two. An event whose mark is lost (a crash before the flush) is
 * published again by the relay, and JetStream drops it as a duplicate.
 */
export function createPublishedMarks(db: Db, log: Logger, flushMs = 20) {
  let chatIds: string[] = [];
  let seqs: number[] = [];
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (chatIds.length === 0) return flushing;
    const batch = { chatIds, seqs };
    chatIds = [];
    seqs = [];
    flushing = flushing.then(() =>
      sql`
        update chat_events set published_at = now()
        from unnest(${batch.chatIds}::uuid[], ${batch.seqs}::bigint[]) as done(chat_id, seq)
        where chat_events.chat_id = done.chat_id and chat_events.seq = done.seq and published_at is null`
        .execute(db)
        .then(() => undefined)
        .catch((err: unknown) => log.warn({ err: (err as Error).message, events: batch.seqs.length }, 'could not mark events published; the relay will')),
    );
    return flushing;
  }

  return {
    mark(e: { chat_id: string; seq: number }): void {
      chatIds.push(e.chat_id);
      seqs.push(e.seq);
      if (chatIds.length >= 1000) void flush();
      else timer ??= setTimeout(() => void flush(), flushMs);
    },
    /** Writes what is pending; call before the database closes. */
    flush,
  };
}
