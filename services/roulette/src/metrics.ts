import type { Kysely } from 'kysely';
import type { Logger } from '@chatroulette/logger';
import type { ServiceMetrics } from '@chatroulette/metrics';
import type { Database } from './db/schema.js';
import { outboxSize } from './db/queries/outbox.js';
import { queueSize } from './db/queries/queue.js';

/**
 * The roulette's own metrics, beside the HTTP and process ones of its registry. The queue and the
 * outbox are counted when scraped (the queue is shared by every instance: each reports all of it).
 */
export function createRouletteMetrics(metrics: ServiceMetrics, db: Kysely<Database>, log: Logger) {
  const onError = (err: unknown) => log.debug({ err }, 'roulette metrics not read');
  metrics.gaugeOnScrape('roulette_queue_size', 'Users waiting in the search queue (all instances)', () => queueSize(db), { onError });
  metrics.gaugeOnScrape('outbox_pending_events', 'Match events committed but not yet published to JetStream', () => outboxSize(db), { onError });
  return {
    matches: metrics.counter('roulette_matches_total', 'Matches made (counted once, by the instance that activated the match)'),
    queueWait: metrics.histogram('roulette_queue_wait_seconds', 'Time from a search to its match, per matched user (0 for a search that found a partner waiting)', {
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    }),
    jetstreamPublish: metrics.histogram('jetstream_publish_duration_seconds', 'Match event publishes to JetStream until the stream acked, by result', {
      labelNames: ['result'],
    }),
  };
}

export type RouletteMetrics = ReturnType<typeof createRouletteMetrics>;
