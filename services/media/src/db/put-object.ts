import type { NatsConnection, ObjectInfo, ObjectStore } from 'nats';

/** Bytes handed to the object store between two flushes: what the NATS connection may hold unsent. */
const FLUSH_EVERY_BYTES = 1024 * 1024;

export interface StoredMeta {
  owner: string;
  mediaType: string;
  contentType: string;
  createdAt: string;
}

/**
 * Streams `bytes` into the bucket as object `name`. The object store's put publishes chunks without
 * waiting for the connection to send them, so the stream given to it waits for a flush every
 * megabyte: a fast upload never piles up in memory. When `bytes` throws (too large, cut off), put
 * purges the chunks written so far and rejects with that error: the object never appears.
 */
export async function putObject(nc: NatsConnection, os: ObjectStore, name: string, meta: StoredMeta, bytes: AsyncIterator<Uint8Array>): Promise<ObjectInfo> {
  let sinceFlush = 0;
  const source = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await bytes.next();
        } catch (e) {
          // What was published reaches the server before put's purge of the partial chunks.
          await nc.flush().catch(() => undefined);
          controller.error(e);
          return;
        }
        if (next.done) return controller.close();
        sinceFlush += next.value.byteLength;
        if (sinceFlush >= FLUSH_EVERY_BYTES) {
          sinceFlush = 0;
          await nc.flush();
        }
        controller.enqueue(next.value);
      },
      async cancel() {
        await bytes.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  return os.put(
    {
      name,
      metadata: { owner: meta.owner, media_type: meta.mediaType, content_type: meta.contentType, created_at: meta.createdAt },
    },
    source,
  );
}
