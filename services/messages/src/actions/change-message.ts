import { editMessage, findMessage, softDeleteMessage } from '../db/queries/messages.js';
import { lockChat } from '../db/queries/chats.js';
import { assertAuthor, assertLive } from '../domain/message.js';
import { toIso } from '@chatroulette/contracts';
import { messageForMember } from './access.js';
import type { Ctx } from './context.js';
import { messageObjects } from './message-views.js';
import { transact } from './transact.js';

/** Edits one's own message: status becomes `edited` (the latest change wins). */
export async function editOwnMessage(ctx: Ctx, userId: string, messageId: string, content: string) {
  const found = await messageForMember(ctx.db, messageId, userId);
  assertAuthor(found, userId);
  const row = await transact(ctx, async (tx, outbox) => {
    await lockChat(tx, found.chat_id);
    assertLive(await findMessage(tx, messageId));
    const edited = await editMessage(tx, messageId, content);
    await outbox.emit(edited.chat_id, 'message_edited', {
      id: edited.id,
      content: edited.content,
      status: 'edited',
      is_edited: true,
      edited_at: toIso(edited.edited_at),
    });
    return edited;
  });
  // Built after the commit: no auth lookup while the chat's lock is held.
  const [message] = await messageObjects(ctx, ctx.db, [row]);
  return message!;
}

/** Soft-deletes one's own message: it leaves the history and every later action on it is a 404. */
export async function deleteOwnMessage(ctx: Ctx, userId: string, messageId: string) {
  const found = await messageForMember(ctx.db, messageId, userId);
  assertAuthor(found, userId);
  return transact(ctx, async (tx, outbox) => {
    await lockChat(tx, found.chat_id);
    assertLive(await findMessage(tx, messageId));
    await softDeleteMessage(tx, messageId);
    await outbox.emit(found.chat_id, 'message_deleted', { message_id: messageId });
    return { message_id: messageId };
  });
}
