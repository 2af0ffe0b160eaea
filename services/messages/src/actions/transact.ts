import type { ChatEventPayloads, ChatEventType } from '@chatroulette/contracts';
import type { Db } from '../db/queries/db.js';
import { bumpSeq } from '../db/queries/chats.js';
import { insertEvents, type EventRow } from '../db/queries/events.js';
import { outboxEvent } from '../events/outbox-event.js';
import type { Ctx } from './context.js';

export interface Outbox {
  /** Gives the event the chat's next seq and stores it with the change, in this transaction. */
  emit<T extends ChatEventType>(chatId: string, type: T, payload: ChatEventPayloads[T], headers?: Record<string, string>): Promise<number>;
}

/**
 * A change and its events in ONE transaction; after the commit the events are handed to the
 * publisher (not awaited: the answer does not wait for NATS). The chat's last_seq row lock,
 * held to the commit, makes seq order the commit order.
 */
export async function transact<T>(
  ctx: Ctx,
  work: (tx: Db, outbox: Outbox) => Promise<T>,
  opts: { afterCommit?: () => void } = {},
): Promise<T> {
  const events: EventRow[] = [];
  const result = await ctx.db.transaction().execute(async (tx) => {
    const outbox: Outbox = {
      async emit(chatId, type, payload, headers) {
        const seq = await bumpSeq(tx, chatId);
        const e = outboxEvent(type, chatId, seq, payload, headers);
        await insertEvents(tx, [e]);
        events.push(e);
        return seq;
      },
    };
    return work(tx, outbox);
  });
  opts.afterCommit?.();
  ctx.publisher.publish(events);
  return result;
}
