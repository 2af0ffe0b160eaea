import type { ChatEventPayloads, ChatEventType } from '@chatroulette/contracts';
import type { Db } from '../db/queries/db.js';
import { bumpSeq } from '../db/queries/chats.js';
import { insertEvent, type EventRow } from '../db/queries/events.js';
import type { MessagesContext } from '../context.js';
import { outboxEvent } from './outbox-event.js';

export interface Outbox {
  /** Gives the event the chat's next seq and stores it with the change, in this transaction. */
  emit<T extends ChatEventType>(chatId: string, type: T, payload: ChatEventPayloads[T]): Promise<number>;
}

/**
 * A change and its events in ONE transaction; after the commit the stored events (as the insert
 * returned them) are handed to the publisher, not awaited: the answer does not wait for NATS. The
 * chat's last_seq row lock, held to the commit, makes seq order the commit order.
 */
export async function commitWithEvents<T>(ctx: MessagesContext, work: (tx: Db, outbox: Outbox) => Promise<T>): Promise<T> {
  const events: EventRow[] = [];
  const result = await ctx.db.transaction().execute(async (tx) => {
    const outbox: Outbox = {
      async emit(chatId, type, payload) {
        const seq = await bumpSeq(tx, chatId);
        events.push(await insertEvent(tx, outboxEvent(type, chatId, seq, payload)));
        return seq;
      },
    };
    return work(tx, outbox);
  });
  ctx.publisher.publish(events);
  return result;
}
