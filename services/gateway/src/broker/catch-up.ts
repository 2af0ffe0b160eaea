import type { Logger } from 'pino';
import { maxEventsPerPage, type EventsLog } from '../history/events-log.js';
import type { ChatState, Ordered } from './chat-state.js';
import { fetchIntoSequence } from './log-fetch.js';

/** Tries to catch up on a chat after a reconnect, backing off up to 5 s: about 40 s in all. */
const CATCH_UP_ATTEMPTS = 12;

/**
 * After a reconnect to NATS: events published while this gateway was away (a relay flushing its
 * backlog the moment NATS is back, before this gateway resubscribed) reached nobody here, and
 * with no later event no gap ever shows. The chat's tail is fetched from the log, page by page,
 * retrying while the messages service is itself still reconnecting.
 */
export async function catchUp(chat: ChatState, opts: { events: EventsLog; log: Logger; forward: (chat: ChatState, out: Ordered) => void }): Promise<void> {
  const { chatId } = chat;
  for (let attempt = 0; chat.live; ) {
    const after = chat.seq.lastSeq;
    if (after === null) return; // the membership answer will set the start
    try {
      const fetched = await fetchIntoSequence(opts.events, chat, after, maxEventsPerPage);
      if (!fetched) return;
      opts.forward(chat, fetched.out);
      const n = fetched.reply.events.length;
      if (n > 0) opts.log.info({ chatId, after, fetched: n }, 'caught up on chat events missed while away from NATS');
      // A short page is the end; a full one that did not advance has a gap (retention), left to the gap timer.
      if (n < maxEventsPerPage || chat.seq.lastSeq === after) return;
    } catch (err) {
      if (++attempt >= CATCH_UP_ATTEMPTS) return void opts.log.warn({ err, chatId, after }, 'could not catch up on a chat after a NATS reconnect');
      await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 5000)));
    }
  }
}
