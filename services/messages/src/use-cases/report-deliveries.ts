import type { DeliveryReceipt } from '@chatroulette/contracts';
import { markDeliveredWithEvents } from '../db/queries/deliveries.js';
import { readState } from '../domain/message.js';
import { framePrefix } from '../events/outbox-event.js';
import type { MessagesContext } from '../context.js';

/**
 * Delivery receipts from the gateway: one statement marks delivered what is still `sent`, and each
 * message that changed gets a message_status_update, handed to the publisher after the commit.
 * A message still `sent` has no reads (a read by another participant makes it `read` in the same
 * transaction), so its event's payload is known before the statement runs.
 */
export async function reportDeliveries(ctx: MessagesContext, receipts: DeliveryReceipt[]): Promise<number> {
  // A receipt reported twice, or a message received by two users, changes it once (the statement sees to it).
  const events = await markDeliveredWithEvents(
    ctx.db,
    receipts.map((r) => ({
      ...r,
      frame_prefix: framePrefix('message_status_update', r.chat_id, readState({ id: r.message_id, status: 'delivered' }, [])),
    })),
  );
  ctx.publisher.publish(events);
  return events.length;
}
