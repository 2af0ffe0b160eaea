import type { NatsConnection, ObjectInfo } from 'nats';
import { bucketStream, chunkSubject } from './bucket.js';

/** Chunks (128 KiB each by default) asked for at a time: the most one download holds in memory. */
const CHUNKS_PER_FETCH = 4;
const FETCH_EXPIRES_MS = 5000;

/**
 * The bytes `start`..`end` (inclusive) of a stored object, read chunk by chunk from its stream
 * with an ordered pull consumer and fetched only as fast as the caller consumes them (the object
 * store's own get pushes the whole object at once, whatever the reader's speed). Chunks before the
 * range are read and skipped: every chunk but the last has the object's chunk size.
 */
export async function* readObject(nc: NatsConnection, info: ObjectInfo, start: number, end: number): AsyncGenerator<Uint8Array> {
  if (info.size === 0 || end < start) return;
  const js = nc.jetstream();
  // One filter subject as a string: NATS 2.9 knows `filter_subject` only, not the list.
  const consumer = await js.consumers.get(bucketStream(info.bucket), { filterSubjects: chunkSubject(info.bucket, info.nuid) });
  let left = info.chunks;
  let offset = 0;
  try {
    while (left > 0 && offset <= end) {
      // The batch is taken whole before any of it is yielded: a slow client must not hold the fetch
      // open past its expiry, when the messages not yet iterated would be dropped.
      const batch: Uint8Array[] = [];
      for await (const m of await consumer.fetch({ max_messages: Math.min(left, CHUNKS_PER_FETCH), expires: FETCH_EXPIRES_MS })) batch.push(m.data);
      if (batch.length === 0) throw new Error(`object ${info.name}: ${left} chunks missing from the stream`);
      left -= batch.length;
      for (const chunk of batch) {
        const from = Math.max(start - offset, 0);
        const to = Math.min(end - offset + 1, chunk.byteLength);
        offset += chunk.byteLength;
        if (from < to) yield chunk.subarray(from, to);
        if (offset > end) return;
      }
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}
