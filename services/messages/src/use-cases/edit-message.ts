import { toIso } from '@chatroulette/contracts';
import { lockChat } from '../db/queries/chats.js';
import { editMessage, findMessage } from '../db/queries/messages.js';
import { assertAuthor, assertLive } from '../domain/message.js';
import { commitWithEvents } from '../events/outbox.js';
import type { MessagesContext } from '../context.js';
import { messageForMember } from './access.js';
import { messageObjects } from './message-views.js';

/** Edits one's own message: status becomes `edited` (the latest change wins). */
export async function editOwnMessage(ctx: MessagesContext, userId: string, messageId: string, content: string) {
  const found = await messageForMember(ctx.db, messageId, userId);
  assertAuthor(found, userId);
  const row = await commitWithEvents(ctx, async (tx, outbox) => {
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
