import { readsOf } from '../db/queries/messages.js';
import { readState } from '../domain/message.js';
import type { MessagesContext } from '../context.js';
import { messageForMember } from './access.js';

/** A message's status and its readers. */
export async function messageStatus(ctx: MessagesContext, userId: string, messageId: string) {
  const message = await messageForMember(ctx.db, messageId, userId);
  return readState(message, await readsOf(ctx.db, [messageId]));
}
