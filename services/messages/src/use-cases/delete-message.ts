import { lockChat } from '../db/queries/chats.js';
import { findMessage, softDeleteMessage } from '../db/queries/messages.js';
import { assertAuthor, assertLive } from '../domain/message.js';
import { commitWithEvents } from '../events/outbox.js';
import type { MessagesContext } from '../context.js';
import { messageForMember } from './access.js';

/** Soft-deletes one's own message: it leaves the history and every later action on it is a 404. */
export async function deleteOwnMessage(ctx: MessagesContext, userId: string, messageId: string) {
  const found = await messageForMember(ctx.db, messageId, userId);
  assertAuthor(found, userId);
  return commitWithEvents(ctx, async (tx, outbox) => {
    await lockChat(tx, found.chat_id);
    assertLive(await findMessage(tx, messageId));
    await softDeleteMessage(tx, messageId);
    await outbox.emit(found.chat_id, 'message_deleted', { message_id: messageId });
    return { message_id: messageId };
  });
}
