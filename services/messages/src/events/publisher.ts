import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { timed } from '@chatroulette/metrics';
import { publishDurable, encodeText } from '@chatroulette/nats';
import type { Subjects, ChatEventType } from '@chatroulette/contracts';
import type { EventRow } from '../db/queries/events.js';
import type { MessagesMetrics } from '../metrics.js';
import { dedupId } from './outbox-event.js';

/** Publishes one stored event to JetStream with its headers and de-duplication id, timing it until the ack. */
export async function publishEvent(nc: NatsConnection, subjects: Subjects, e: EventRow, metrics: MessagesMetrics): Promise<void> {
  await timed(metrics.jetstreamPublish, () =>
    publishDurable(nc, subjects.chatEvent(e.chat_id, e.type as ChatEventType), encodeText(e.frame), dedupId(e), e.headers),
  );
}

/**
 * Publishes committed events without making the caller wait, in seq order per chat: each chat has
 * a promise chain, so this process never publishes seq N+1 before N. When a publish fails the rest
 * of that chain is skipped and left to the relay, which publishes in order.
 */
export function createPublisher(
  send: (e: EventRow) => Promise<void>,
  markPublished: (e: EventRow) => Promise<void>,
  log: Logger,
) {
  const chains = new Map<string, { tail: Promise<void>; failed: boolean }>();

  function publish(events: EventRow[]): void {
    for (const e of events) {
      let chain = chains.get(e.chat_id);
      if (!chain) {
        chain = { tail: Promise.resolve(), failed: false };
        chains.set(e.chat_id, chain);
      }
      const c = chain;
      const tail = c.tail.then(async () => {
        if (c.failed) return;
        try {
          await send(e);
        } catch (err) {
          c.failed = true;
          log.warn({ err: (err as Error).message, chatId: e.chat_id, seq: e.seq }, 'publish failed, left to the relay');
          return;
        }
        await markPublished(e).catch((err: unknown) =>
          log.warn({ err: (err as Error).message, chatId: e.chat_id, seq: e.seq }, 'could not mark published'),
        );
      });
      c.tail = tail;
      void tail.then(() => {
        if (chains.get(e.chat_id) === c && c.tail === tail) chains.delete(e.chat_id);
      });
    }
  }

  /** Resolves when everything handed to publish() so far is done. */
  async function idle(): Promise<void> {
    while (chains.size > 0) await Promise.all([...chains.values()].map((c) => c.tail));
  }

  return { publish, idle };
}

export type Publisher = ReturnType<typeof createPublisher>;
