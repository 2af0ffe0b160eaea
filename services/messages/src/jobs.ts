import { every, type Job } from '@chatroulette/runtime';
import type { NatsConnection } from 'nats';
import type { Subjects } from '@chatroulette/contracts';
import type { MessagesContext } from './context.js';
import { pruneEvents } from './db/queries/events.js';
import { pruneSendBudgets } from './db/queries/send-budget.js';
import { relayLeftBehind } from './events/relay.js';

/**
 * The periodic jobs: the outbox relay (publishes what a crash or a NATS outage left unpublished)
 * and the pruner (drops published events beyond the retention count per chat or age, and the send
 * budgets of senders whose schedule has passed).
 */
export function startJobs(ctx: MessagesContext, nc: NatsConnection, subjects: Subjects): Job[] {
  const { cfg, db, log } = ctx;
  return [
    every('relay', cfg.relayIntervalMs, () => relayLeftBehind(nc, db, subjects, log, ctx.metrics), log),
    every(
      'prune',
      cfg.pruneIntervalMs,
      async () => {
        const deleted = await pruneEvents(db, cfg.eventRetentionCount, cfg.eventRetentionHours);
        if (deleted > 0) log.info({ deleted }, 'pruned chat events');
        await pruneSendBudgets(db);
      },
      log,
    ),
  ];
}
