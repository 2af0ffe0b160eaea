import type { Logger } from 'pino';
import { maxEventsPerPage, type EventsLog } from '../history/events-log.js';
import type { GatewayMetrics } from '../ops/metrics.js';
import type { ChatState, Ordered } from './chat-state.js';
import { fetchIntoSequence } from './log-fetch.js';

/** Gap fills before the gap is skipped. */
const GAP_FILL_ATTEMPTS = 5;

/**
 * A gap in a chat's sequence that stays open `gapFillMs` (backing off) is fetched from the event log;
 * events lost to retention, or a log that keeps failing, make the chat skip it.
 */
export function createGapFill(opts: {
  events: EventsLog;
  log: Logger;
  gapFillMs: number;
  forward: (chat: ChatState, out: Ordered) => void;
  metrics: Pick<GatewayMetrics, 'gapFill'>;
}) {
  const { log } = opts;

  /** Sets the gap timer while events wait for a gap, clears it when none do. */
  function arm(chat: ChatState): void {
    if (chat.seq.waiting === 0 || chat.seq.lastSeq === null) {
      chat.clearGapTimer();
      chat.gapAttempts = 0;
      return;
    }
    chat.gapTimer ??= setTimeout(() => {
      chat.gapTimer = null;
      void fill(chat);
    }, opts.gapFillMs * Math.min(2 ** chat.gapAttempts, 20));
  }

  async function fill(chat: ChatState): Promise<void> {
    const { chatId } = chat;
    const after = chat.seq.lastSeq;
    const firstWaiting = chat.seq.firstWaiting;
    if (after === null || firstWaiting === null || !chat.live) return;
    chat.gapAttempts++;
    try {
      const fetched = await fetchIntoSequence(opts.events, chat, after, Math.min(maxEventsPerPage, Math.max(1, firstWaiting - after - 1)));
      if (!fetched) return;
      const { reply, out } = fetched;
      if (chat.seq.waiting > 0 && chat.seq.lastSeq === after && reply.first_seq > after + 1) {
        log.warn({ chatId, after, firstKept: reply.first_seq }, 'chat events lost to retention; skipping the gap');
        out.push(...chat.seq.skipGap());
        opts.metrics.gapFill('skipped');
      } else opts.metrics.gapFill('filled');
      log.debug({ chatId, after, fetched: reply.events.length }, 'filled a chat sequence gap');
      opts.forward(chat, out);
    } catch (err) {
      if (!chat.live) return;
      if (chat.gapAttempts >= GAP_FILL_ATTEMPTS) {
        log.warn({ err, chatId, after }, 'could not fill a chat sequence gap; skipping it');
        opts.metrics.gapFill('skipped');
        opts.forward(chat, chat.seq.skipGap());
      } else {
        log.debug({ err, chatId, after }, 'gap fill failed, will retry');
        arm(chat);
      }
    }
  }

  return { arm };
}
