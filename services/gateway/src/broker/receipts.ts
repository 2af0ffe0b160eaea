import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { messagesDeliveriesReport, type DeliveryReceipt, type Subjects } from '@chatroulette/contracts';
import { encodeJson } from '@chatroulette/nats';
import { createBatcher } from '@chatroulette/runtime';

/**
 * Delivery receipts, batched: flushed `flushMs` after the first (RECEIPTS_FLUSH_MS) or at 1000, as
 * one fire-and-forget publish to messages (contracts messagesDeliveriesReport).
 */
export function createReceipts(nc: NatsConnection, subjects: Subjects, log: Logger, flushMs: number) {
  return createBatcher<DeliveryReceipt>({
    maxItems: 1000,
    maxDelayMs: flushMs,
    flush(receipts) {
      const body = messagesDeliveriesReport.parse({ receipts });
      try {
        nc.publish(subjects.messagesDeliveriesReport, encodeJson(body));
      } catch (err) {
        log.warn({ err, receipts: receipts.length }, 'could not report deliveries');
      }
    },
  });
}

export type Receipts = ReturnType<typeof createReceipts>;
