import type { DeliveryReceipt } from '@chatroulette/contracts';
import { lockChat } from '../db/queries/chats.js';
import { markDelivered, readsOf } from '../db/queries/messages.js';
import { outboxEvent } from '../events/outbox-event.js';
import { readState } from '../domain/message.js';
import type { Ctx } from './context.js';
import { transact } from './transact.js';

/**
 * Delivery receipts from the gateway: per chat, one transaction and one update statement mark
 * delivered what is still `sent`, and each message that changed gets a message_status_update.
 */
export async function reportDeliveries(ctx: Ctx, receipts: DeliveryReceipt[]): Promise<number> {
  const byChat = new Map<string, DeliveryReceipt[]>();
  for (const r of receipts) byChat.set(r.chat_id, [...(byChat.get(r.chat_id) ?? []), r]);
  let changed = 0;
  for (const [chatId, batch] of [...byChat].sort(([a], [b]) => a.localeCompare(b))) {
    changed += await transact(ctx, async (tx, outbox) => {
      if (!(await lockChat(tx, chatId))) return 0;
      const delivered = await markDelivered(tx, chatId, batch);
      if (delivered.length === 0) return 0;
      const reads = await readsOf(tx, delivered.map((m) => m.id));
      const last = await outbox.reserve(chatId, delivered.length);
      const first = last - delivered.length + 1;
      await outbox.add(
        delivered.map((m, i) => {
          const state = readState(
            { id: m.id, status: 'delivered' },
            reads.filter((r) => r.message_id === m.id),
          );
          return outboxEvent('message_status_update', chatId, first + i, state);
        }),
      );
      return delivered.length;
    });
  }
  return changed;
}
