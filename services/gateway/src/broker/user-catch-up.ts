import { DeliverPolicy, type JsMsg, type NatsConnection } from 'nats';

/** Messages per pull while reading the stream back. */
const PAGE = 256;

/**
 * Every message stored in `stream` at or after `from` (ms since the epoch, the server's clock), read
 * with an ordered consumer page by page up to the last one there when it started, each given to
 * `each`. Returns how many were read. An ordered consumer is ephemeral: nothing is left on the server.
 */
export async function readStreamSince(nc: NatsConnection, stream: string, from: number, each: (msg: JsMsg) => void): Promise<number> {
  const consumer = await nc.jetstream().consumers.get(stream, {
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: new Date(from).toISOString(),
  });
  let read = 0;
  try {
    for (;;) {
      let inPage = 0;
      let last = false;
      for await (const msg of await consumer.fetch({ max_messages: PAGE, expires: 1000 })) {
        inPage++;
        each(msg);
        // pending: what the stream holds after this one for the consumer.
        if (msg.info.pending === 0) last = true;
      }
      read += inPage;
      if (last || inPage === 0) return read;
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}
