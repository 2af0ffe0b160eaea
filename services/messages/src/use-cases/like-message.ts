import { blockedAmong } from '../db/queries/blocks.js';
import { lockChat } from '../db/queries/chats.js';
import { deleteLike, findMessage, insertLike, likesOf } from '../db/queries/messages.js';
import { assertNotBlocked } from '../domain/chat.js';
import { assertLive, likesState } from '../domain/message.js';
import { commitWithEvents } from '../events/outbox.js';
import type { MessagesContext } from '../context.js';
import { messageForMember } from './access.js';

/**
 * Likes (or unlikes) a message; a repeat is a no-op that answers the current state and emits nothing.
 * A like between a blocked pair is refused (403); taking one back is not.
 */
export async function setLike(ctx: MessagesContext, userId: string, messageId: string, liked: boolean) {
  const found = await messageForMember(ctx.db, messageId, userId);
  if (liked) assertNotBlocked((await blockedAmong(ctx.db, userId, [found.user_id])).length > 0);
  return commitWithEvents(ctx, async (tx, outbox) => {
    await lockChat(tx, found.chat_id);
    assertLive(await findMessage(tx, messageId));
    const changed = liked ? await insertLike(tx, messageId, userId) : await deleteLike(tx, messageId, userId);
    const state = likesState(messageId, await likesOf(tx, [messageId]));
    if (changed) await outbox.emit(found.chat_id, liked ? 'message_liked' : 'message_unliked', state);
    return { ...state, is_liked: liked };
  });
}
