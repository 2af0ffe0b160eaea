import { applyBlockState, consumeBlockEvents } from '@chatroulette/blocks';
import type { Subjects } from '@chatroulette/contracts';
import type { NatsConnection } from '@chatroulette/nats';
import type { MessagesContext } from '../context.js';

/** Auth's block events into this service's copy (user_blocks), which sends, likes and new chats check. */
export function consumeBlocks(ctx: MessagesContext, nc: NatsConnection, subjects: Subjects) {
  return consumeBlockEvents({
    nc,
    subjects,
    service: 'messages',
    log: ctx.log,
    apply: async (e) => {
      if (await applyBlockState(ctx.db, e)) ctx.log.info({ blockerId: e.blocker_id, blockedId: e.blocked_id, blocked: e.blocked, version: e.version }, 'block copied');
    },
  });
}
