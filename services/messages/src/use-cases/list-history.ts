import { badRequest } from '@chatroulette/errors';
import { findMessageInChat, historyPage } from '../db/queries/messages.js';
import { chatForMember } from './access.js';
import type { MessagesContext } from '../context.js';
import { messageObjects } from './message-views.js';

/** A page of the history: the newest `limit` messages before the cursor, oldest first (or newest first: the original's order). */
export async function listHistory(
  ctx: MessagesContext,
  userId: string,
  chatId: string,
  page: { limit: number; offset: number; before?: string | undefined; newestFirst?: boolean },
) {
  await chatForMember(ctx.db, chatId, userId);
  let beforeSeq: number | undefined;
  if (page.before) {
    const cursor = await findMessageInChat(ctx.db, chatId, page.before);
    if (!cursor) throw badRequest('Invalid before: not a message of this chat');
    beforeSeq = cursor.seq;
  }
  const rows = await historyPage(ctx.db, chatId, { limit: page.limit, offset: page.offset, beforeSeq, newestFirst: page.newestFirst ?? false });
  return messageObjects(ctx, ctx.db, rows);
}
