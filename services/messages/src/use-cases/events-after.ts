import { findChat } from '../db/queries/chats.js';
import { firstSeq, listEvents } from '../db/queries/events.js';
import { assertChatFound } from '../domain/chat.js';
import type { MessagesContext } from '../context.js';

/** Stored frames after `afterSeq`, for the gateway to fill gaps and replay `since`. */
export async function eventsAfter(ctx: MessagesContext, chatId: string, afterSeq: number, limit: number) {
  const chat = assertChatFound(await findChat(ctx.db, chatId));
  const [events, first] = await Promise.all([listEvents(ctx.db, chatId, afterSeq, limit), firstSeq(ctx.db, chatId)]);
  return {
    events: events.map((e) => ({ seq: Number(e.seq), frame: e.frame })),
    first_seq: first,
    // Read after the events: a chat's last_seq only grows, so it is never below the last event listed.
    last_seq: Math.max(chat.last_seq, ...events.map((e) => Number(e.seq))),
  };
}
