import { notFound } from '@chatroulette/errors';
import { lockChat } from '../db/queries/chats.js';
import { findMessage, insertRead, readsOf, setMessageStatus } from '../db/queries/messages.js';
import { assertLive, isReadByOther, readState } from '../domain/message.js';
import { commitWithEvents } from '../events/outbox.js';
import type { MessagesContext } from '../context.js';
import { messageForMember } from './access.js';

/**
 * Another participant read the message: status `read`, the reader in read_by, one event.
 * One's own message, or a second read by the same user, changes nothing and emits nothing.
 */
export async function readMessage(ctx: MessagesContext, userId: string, messageId: string, inChat: string | null = null) {
  const found = await messageForMember(ctx.db, messageId, userId);
  if (inChat !== null && found.chat_id !== inChat) throw notFound('Message not found');
  if (!isReadByOther(found, userId)) return readState(found, await readsOf(ctx.db, [messageId]));
  return commitWithEvents(ctx, async (tx, outbox) => {
    await lockChat(tx, found.chat_id);
    let message = assertLive(await findMessage(tx, messageId));
    if (await insertRead(tx, messageId, userId)) {
      await setMessageStatus(tx, messageId, 'read');
      message = { ...message, status: 'read' };
      const state = readState(message, await readsOf(tx, [messageId]));
      await outbox.emit(message.chat_id, 'message_status_update', state);
      return state;
    }
    return readState(message, await readsOf(tx, [messageId]));
  });
}
