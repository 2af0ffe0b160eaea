import type { Msg, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { Subjects } from '@chatroulette/contracts';
import type { EventsLog } from '../history/events-log.js';
import type { Hub } from '../hub/hub.js';
import { outsideUws } from '../transport/outside-uws.js';
import { catchUp } from './catch-up.js';
import { ChatState, type Ordered } from './chat-state.js';
import { readEventMeta } from './event-headers.js';
import { createGapFill } from './gap-fill.js';
import type { Receipts } from './receipts.js';
import { createUserEvents } from './user-events.js';

export interface BrokerOptions {
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  /** Who is connected here: the users whose events are forwarded, a chat's watchers for receipts. */
  hub: Hub;
  /** Sends bytes to every socket on a uWS topic (app.publish): the fan-out runs in native code. */
  publish: (topic: string, data: Uint8Array) => void;
  receipts: Receipts;
  events: EventsLog;
  ringSize: number;
  gapFillMs: number;
}

/**
 * NATS to uWS topics: one NATS subscription per chat that has a socket here (reference-counted),
 * chat events put in seq order exactly once before they are published, and the one subscription
 * to every user's events.
 */
export function createBroker(opts: BrokerOptions) {
  const { nc, subjects, log, hub } = opts;
  const chats = new Map<string, ChatState>();
  const userEvents = createUserEvents({ nc, subjects, hasUser: (userId) => hub.hasUser(userId), publish: opts.publish });
  const gapFill = createGapFill({ events: opts.events, log, gapFillMs: opts.gapFillMs, forward });

  function forward(chat: ChatState, out: Ordered) {
    for (const { seq, item } of out) deliver(chat, seq, item.data, item.author, item.messageId);
    gapFill.arm(chat);
  }

  /** One event in order: into the ring, out to the chat's topic, and receipts for a new_message. */
  function deliver(chat: ChatState, seq: number, data: Uint8Array, author: string | undefined, messageId: string | undefined) {
    chat.ring.add(seq, data);
    opts.publish(chat.topic, data);
    if (!author || !messageId) return;
    const watchers = hub.watchersOf(chat.chatId);
    if (!watchers) return;
    for (const userId of watchers.keys()) {
      if (userId !== author) opts.receipts.add({ chat_id: chat.chatId, message_id: messageId, user_id: userId });
    }
  }

  function onChatMsg(chat: ChatState, msg: Msg) {
    if (!chat.live) return;
    const meta = readEventMeta(msg);
    if (!meta || meta.seq === null) {
      // No sequence: nothing to order it by, so it goes out as it came.
      opts.publish(chat.topic, msg.data);
      return;
    }
    const { seq } = meta;
    if (Number.isNaN(seq)) {
      log.warn({ chatId: chat.chatId, subject: msg.subject }, 'chat event with an invalid Chat-Seq header dropped');
      return;
    }
    if (chat.seq.advance(seq)) {
      // In order with nothing waiting (the usual case): no buffering, no gap to watch.
      deliver(chat, seq, msg.data, meta.author, meta.messageId);
      if (chat.gapTimer || chat.gapAttempts) gapFill.arm(chat);
      return;
    }
    forward(chat, chat.seq.push(seq, { data: msg.data, author: meta.author, messageId: meta.messageId }));
  }

  return {
    /** Takes a reference on the chat's subscription, subscribing first so no event falls before the membership answer. */
    acquireChat(chatId: string): void {
      const existing = chats.get(chatId);
      if (existing) return void existing.refs++;
      let chat: ChatState | undefined;
      const sub = nc.subscribe(subjects.chatEvents(chatId), { callback: (err, msg) => !err && chat && onChatMsg(chat, msg) });
      chat = new ChatState(chatId, sub, opts.ringSize);
      chats.set(chatId, chat);
    },

    /** The chat's last seq from a membership answer: the first one sets where forwarding starts. */
    startChat(chatId: string, lastSeq: number): void {
      const chat = chats.get(chatId);
      if (chat) forward(chat, chat.seq.start(lastSeq));
    },

    releaseChat(chatId: string): void {
      const chat = chats.get(chatId);
      if (!chat || --chat.refs > 0) return;
      chats.delete(chatId);
      chat.live = false;
      chat.clearGapTimer();
      // Called from uWS close handlers.
      outsideUws(() => chat.sub.unsubscribe());
    },

    /** Resolves once NATS has the subscription to users' events (see user-events.ts). */
    userEventsReady: () => userEvents.ready(),

    /** The last forwarded seq of a chat (null before the start is known). */
    lastSeq(chatId: string): number | null {
      return chats.get(chatId)?.seq.lastSeq ?? null;
    },

    /** Forwarded frames with seq in (after, upTo] from the chat's ring, or null when it does not hold them. */
    recent(chatId: string, after: number, upTo: number) {
      return chats.get(chatId)?.ring.range(after, upTo) ?? null;
    },

    /** Fetches every chat's missed tail once NATS has this gateway's subscriptions again (see catch-up.ts). */
    async resync(): Promise<void> {
      try {
        await nc.flush();
      } catch {
        return; // disconnected again: the next reconnect resyncs
      }
      await Promise.all([...chats.values()].map((chat) => catchUp(chat, { events: opts.events, log, forward })));
    },

    /** Chats subscribed, for tests and logs. */
    get chats(): number {
      return chats.size;
    },

    close(): void {
      for (const chat of chats.values()) {
        chat.live = false;
        chat.clearGapTimer();
        chat.sub.unsubscribe();
      }
      userEvents.close();
      chats.clear();
    },
  };
}

export type Broker = ReturnType<typeof createBroker>;
