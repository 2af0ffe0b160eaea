import type { Logger } from 'pino';
import { blockConsumers, blockEvent, type BlockEvent, type Subjects } from '@chatroulette/contracts';
import { consumeDurable, type DurableConsumer, type NatsConnection } from '@chatroulette/nats';

/**
 * Auth's block events (BLOCK_EVENTS) through the service's durable consumer: its instances share
 * it, and a restart resumes where it stopped, so no block is ever missed. `apply` must be idempotent.
 */
export function consumeBlockEvents(opts: {
  nc: NatsConnection;
  subjects: Subjects;
  service: keyof typeof blockConsumers;
  log: Logger;
  apply: (event: BlockEvent) => Promise<void>;
}): DurableConsumer {
  return consumeDurable({
    nc: opts.nc,
    stream: opts.subjects.blockEventsStream,
    name: blockConsumers[opts.service],
    filterSubject: opts.subjects.allUserBlocks,
    schema: blockEvent,
    log: opts.log,
    handler: opts.apply,
  });
}
