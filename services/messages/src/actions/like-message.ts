import { lockChat } from '../db/queries/chats.js';
import { deleteLike, findMessage, insertLike, likesOf } from '../db/queries/messages.js';
import { assertLive, likesState } from '../domain/message.js';
import { messageForMember } from './access.js';
import type { Ctx } from './context.js';
import { transact } from './transact.js';

/** Likes (or unlikes) a message; a repeat is a no-op that answers the current state and emits nothing. */
export async function setLike(ctx: Ctx, userId: string, messageId: string, liked: boolean) {
  const found = await messageForMember(ctx.db, messageId, userId);
  return transact(ctx, async (tx, outbox) => {
    await lockChat(tx, found.chat_id);
    assertLive(await findMessage(tx, messageId));
    const changed = liked ? await insertLike(tx, messageId, userId) : await deleteLike(tx, messageId, userId);
    const state = likesState(messageId, await likesOf(tx, [messageId]));
    if (changed) await outbox.emit(found.chat_id, liked ? 'message_liked' : 'message_unliked', state);
    return { ...state, is_liked: liked };
  });
}

export async function messageLikes(ctx: Ctx, userId: string, messageId: string) {
  await messageForMember(ctx.db, messageId, userId);
  const state = likesState(messageId, await likesOf(ctx.db, [messageId]));
  return { ...state, is_liked_by_user: state.liked_by.includes(userId) };
}
