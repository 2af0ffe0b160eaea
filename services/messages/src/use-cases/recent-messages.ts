import { historyPage } from '../db/queries/messages.js';
import type { MessagesContext } from '../context.js';
import { messageObjects } from './message-views.js';

/** messages.chats.recent: the chat's newest `limit` live messages as they are now, oldest first (a report's evidence). */
export async function recentMessages(ctx: MessagesContext, chatId: string, limit: number) {
  const rows = await historyPage(ctx.db, chatId, { limit, offset: 0 });
  return { messages: await messageObjects(ctx, ctx.db, rows) };
}
