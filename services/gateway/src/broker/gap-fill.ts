import type { Logger } from 'pino';
import { maxEventsPerPage, type EventsLog } from '../history/events-log.js';
import type { GatewayMetrics } from '../ops/metrics.js';
import type { ChatState, Ordered } from './chat-state.js';
import { fetchIntoSequence } from './log-fetch.js';

/** The longest wait between two fills of one gap: GAP_FILL_MS times this. */
const MAX_BACKOFF_FACTOR = 20;
/** A gap the log has not answered for is reported at this attempt, then every this many more. */
const WARN_EVERY_ATTEMPTS = 10;

/**
 * A gap in a chat's sequence that stays open `gapFillMs` (backing off up to 20 times that) is fetched
 * from the event log. Only the log's own answer can close a gap without its events: when the log no
 * longer keeps them (retention, `first_seq` past the gap) the chat skips it. A log that does not answer
 * (the messages service restarting, its database down) is asked again for as long as the chat is
 * followed: the events of the gap are committed, the relay publishes them once messages is back, and
 * skipping them would drop them for good as duplicates of a seq already passed (RELIABILITY.md, "A loss
 * under load"). Frames held meanwhile are bounded by the far-future bound (seq-guard.ts).
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
    }, opts.gapFillMs * Math.min(2 ** chat.gapAttempts, MAX_BACKOFF_FACTOR));
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
      opts.metrics.gapFill('failed');
      if (chat.gapAttempts % WARN_EVERY_ATTEMPTS === 0) {
        log.warn({ err, chatId, after, attempts: chat.gapAttempts }, 'the event log does not answer; the chat sequence gap stays open');
      } else log.debug({ err, chatId, after }, 'gap fill failed, will retry');
      arm(chat);
    }
  }

  return { arm };
}
