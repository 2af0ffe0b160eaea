import type { NatsConnection, Subscription } from 'nats';
import { messagesDeliveriesReport, queueGroups, type Subjects } from '@chatroulette/contracts';
import { decodeJson } from '@chatroulette/nats';
import type { Ctx } from '../actions/context.js';
import { reportDeliveries } from '../actions/report-deliveries.js';

/** Delivery receipts are published by the gateway without a reply: parse, apply, log what fails. */
export function subscribeDeliveries(
  ctx: Ctx,
  nc: NatsConnection,
  subjects: Subjects,
  track: <T>(p: Promise<T>) => Promise<T>,
): Subscription {
  return nc.subscribe(subjects.messagesDeliveriesReport, {
    queue: queueGroups.messages,
    callback: (err, msg) => {
      if (err) return void ctx.log.error({ err }, 'deliveries subscription failed');
      let body: unknown;
      try {
        body = decodeJson(msg.data);
      } catch {
        return void ctx.log.warn('delivery report is not JSON');
      }
      const parsed = messagesDeliveriesReport.safeParse(body);
      if (!parsed.success) return void ctx.log.warn({ issue: parsed.error.issues[0]?.message }, 'invalid delivery report');
      void track(reportDeliveries(ctx, parsed.data.receipts)).catch((e: unknown) =>
        ctx.log.warn({ err: (e as Error).message }, 'delivery report failed'),
      );
    },
  });
}
