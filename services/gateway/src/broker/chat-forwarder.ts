import type { Msg } from 'nats';
import type { Logger } from 'pino';
import { subjectIsKind } from '@chatroulette/contracts';
import type { EventsLog } from '../history/events-log.js';
import type { Hub } from '../hub/hub.js';
import type { GatewayMetrics } from '../ops/metrics.js';
import { chatEndEvent, type ChatState, type Ordered } from './chat-state.js';
import { readEventMeta } from './event-headers.js';
import { createGapFill } from './gap-fill.js';
import type { Receipts } from './receipts.js';
import { createDroppedFrames, judgeSeq, MAX_SEQ_AHEAD } from './seq-guard.js';

export interface ChatForwarderOptions {
  log: Logger;
  /** A chat's watchers, for delivery receipts. */
  hub: Hub;
  /** Sends bytes to every socket on a uWS topic (app.publish): the fan-out runs in native code. */
  publish: (topic: string, data: Uint8Array) => void;
  receipts: Receipts;
  events: EventsLog;
  gapFillMs: number;
  metrics: GatewayMetrics;
  /** A chatroulette_left is about to go out on the chat (its seq): told before its sockets see it. */
  chatEnded?: (chatId: string, seq: number) => void;
}

/**
 * A chat's events from NATS to its uWS topic, in seq order and exactly once. An event in order with
 * nothing waiting (the usual case) goes out at once, with no object or closure made for it; others
 * wait in the chat's sequencer for the gap before them, which gap fill fetches if it stays open.
 */
export function createChatForwarder(opts: ChatForwarderOptions) {
  const { log, hub } = opts;
  const gapFill = createGapFill({ events: opts.events, log, gapFillMs: opts.gapFillMs, forward, metrics: opts.metrics });
  const dropped = createDroppedFrames(log, opts.metrics);

  /** Events put in order (by the sequencer): out, then the gap timer set or cleared. */
  function forward(chat: ChatState, out: Ordered): void {
    for (const { seq, item } of out) deliver(chat, seq, item.data, item.author, item.messageId, item.ends);
    gapFill.arm(chat);
  }

  /** One event in order: into the ring, out to the chat's topic, and receipts for a new_message. */
  function deliver(chat: ChatState, seq: number, data: Uint8Array, author: string | undefined, messageId: string | undefined, ends: boolean | undefined) {
    if (ends) opts.chatEnded?.(chat.chatId, seq);
    chat.ring.add(seq, data);
    opts.publish(chat.topic, data);
    if (!author || !messageId) return;
    const watchers = hub.watchersOf(chat.chatId);
    if (!watchers) return;
    for (const userId of watchers.keys()) {
      if (userId !== author) opts.receipts.add({ chat_id: chat.chatId, message_id: messageId, user_id: userId });
    }
  }

  /**
   * A chat event from its NATS subscription: forwarded only with a valid Chat-Seq within MAX_SEQ_AHEAD
   * of the last forwarded one (seq-guard.ts); before the start is known every valid one waits.
   */
  function received(chat: ChatState, msg: Msg): void {
    if (!chat.live) return;
    const meta = readEventMeta(msg);
    const refused = judgeSeq(meta?.seq ?? null, chat.seq.lastSeq);
    if (refused !== null || !meta || meta.seq === null) return dropped(refused ?? 'missing_seq', msg.subject, meta?.seq ?? null);
    const { seq, author, messageId } = meta;
    const ends = subjectIsKind(msg.subject, chatEndEvent);
    if (chat.seq.advance(seq)) {
      // In order with nothing waiting: no buffering, no gap to watch.
      deliver(chat, seq, msg.data, author, messageId, ends);
      if (chat.gapTimer || chat.gapAttempts) gapFill.arm(chat);
      return;
    }
    forward(chat, chat.seq.push(seq, { data: msg.data, author, messageId, ends }));
  }

  /** The chat's last seq from the membership answer: what waited for it goes out, what is too far past it is dropped. */
  function start(chat: ChatState, lastSeq: number): void {
    const out = chat.seq.start(lastSeq);
    const limit = (chat.seq.lastSeq ?? lastSeq) + MAX_SEQ_AHEAD;
    for (const seq of chat.seq.dropBeyond(limit)) dropped('far_future_seq', chat.sub.getSubject(), seq);
    forward(chat, out);
  }

  return { forward, received, start };
}
