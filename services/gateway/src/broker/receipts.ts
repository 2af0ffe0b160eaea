import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { messagesDeliveriesReport, type DeliveryReceipt, type Subjects } from '@chatroulette/contracts';
import { encodeJson } from '@chatroulette/nats';

/**
 * Delivery receipts, batched: flushed every `intervalMs` or at `maxBatch`, as one fire-and-forget
 * publish to messages (contracts messagesDeliveriesReport).
 */
export function createReceipts(nc: NatsConnection, subjects: Subjects, log: Logger, intervalMs = 20, maxBatch = 1000) {
  let batch: DeliveryReceipt[] = [];
  let timer: NodeJS.Timeout | null = null;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (batch.length === 0) return;
    const body = messagesDeliveriesReport.parse({ receipts: batch });
    batch = [];
    try {
      nc.publish(subjects.messagesDeliveriesReport, encodeJson(body));
    } catch (err) {
      log.warn({ err, receipts: body.receipts.length }, 'could not report deliveries');
    }
  }

  return {
    add(receipt: DeliveryReceipt): void {
      batch.push(receipt);
      if (batch.length >= maxBatch) flush();
      else timer ??= setTimeout(flush, intervalMs);
    },
    flush,
  };
}

export type Receipts = ReturnType<typeof createReceipts>;
