import { likesOf } from '../db/queries/messages.js';
import { likesState } from '../domain/message.js';
import type { MessagesContext } from '../context.js';
import { messageForMember } from './access.js';

/** Who likes a message, and whether the caller does. */
export async function messageLikes(ctx: MessagesContext, userId: string, messageId: string) {
  await messageForMember(ctx.db, messageId, userId);
  const state = likesState(messageId, await likesOf(ctx.db, [messageId]));
  return { ...state, is_liked_by_user: state.liked_by.includes(userId) };
}
