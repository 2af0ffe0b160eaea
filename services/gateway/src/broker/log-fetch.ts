import type { EventsLog } from '../history/events-log.js';
import { fromFrame, type ChatState, type Ordered } from './chat-state.js';

/**
 * Events after `after` from the event log, put through the chat's sequencer: what can go out now,
 * and the log's answer; null when the chat was released meanwhile.
 */
export async function fetchIntoSequence(log: EventsLog, chat: ChatState, after: number, limit: number) {
  const reply = await log.after(chat.chatId, after, limit);
  if (!chat.live) return null;
  const out: Ordered = [];
  for (const e of reply.events) out.push(...chat.seq.push(e.seq, fromFrame(e.frame)));
  return { reply, out };
}
