import type { Logger } from 'pino';
import type { BudgetHooks } from '@chatroulette/budgets';
import { sharedRead, type ServiceMetrics } from '@chatroulette/metrics';
import type { Db } from './db/queries/db.js';
import { outboxBacklog } from './db/queries/events.js';

/**
 * The messages service's own metrics, beside the HTTP and process ones of its registry. The outbox
 * gauges are read when scraped (one count over the partial index of unpublished events), never
 * kept up to date on the send path. `budgets` are the budgets' counters (budgetMetrics), which the
 * send budget, checked in the send statement rather than by libs/budgets, counts its refusals in.
 */
export function createMessagesMetrics(metrics: ServiceMetrics, db: Db, log: Logger, budgets: BudgetHooks) {
  const backlog = sharedRead(() => outboxBacklog(db));
  const onError = (err: unknown) => log.debug({ err }, 'outbox metrics not read');
  metrics.gaugeOnScrape('outbox_pending_events', 'Chat events committed but not yet published to JetStream', async () => (await backlog()).pending, { onError });
  metrics.gaugeOnScrape(
    'outbox_oldest_pending_seconds',
    'Age of the oldest chat event not yet published (0 when none): the outbox lag',
    async () => (await backlog()).oldestSeconds,
    { onError },
  );
  return {
    messagesSent: metrics.counter('messages_sent_total', 'Messages stored (each with its new_message event)'),
    jetstreamPublish: metrics.histogram('jetstream_publish_duration_seconds', 'Chat event publishes to JetStream until the stream acked, by result', {
      labelNames: ['result'],
    }),
    relayed: metrics.counter('outbox_relayed_events_total', 'Chat events published by the outbox relay (left behind by a failed publish or a crash)'),
    budgetRefused: (budget: string) => budgets.refused?.(budget),
  };
}

export type MessagesMetrics = ReturnType<typeof createMessagesMetrics>;
