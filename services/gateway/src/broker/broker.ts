import type { Msg, NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import { eventHeaders, messagesEventsList, type Subjects } from '@chatroulette/contracts';
import { encodeText, request } from '@chatroulette/nats';
import { ChatSequencer } from './chat-sequencer.js';
import { FrameRing } from './frame-ring.js';
import type { Receipts } from './receipts.js';
import { chatTopic, userTopic } from './topics.js';

interface ChatEvent {
  data: Uint8Array;
  /** Set for new_message: the author and the message id, for delivery receipts. */
  author?: string;
  messageId?: string;
}

interface ChatState {
  refs: number;
  sub: Subscription;
  seq: ChatSequencer<ChatEvent>;
  ring: FrameRing;
  /** Users with at least one socket on this chat here, and how many sockets each. */
  watchers: Map<string, number>;
  gapTimer: NodeJS.Timeout | null;
  gapAttempts: number;
}

export interface BrokerOptions {
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  /** Sends bytes to every socket on a uWS topic (app.publish): the fan-out runs in native code. */
  publish: (topic: string, data: Uint8Array) => void;
  receipts: Receipts;
  ringSize: number;
  gapFillMs: number;
}

/**
 * NATS to uWS topics: one NATS subscription per chat and per user that has a socket here
 * (reference-counted), chat events put in seq order exactly once before they are published.
 */
export function createBroker(opts: BrokerOptions) {
  const { nc, subjects, log } = opts;
  const chats = new Map<string, ChatState>();
  const users = new Map<string, { refs: number; sub: Subscription; ready: Promise<void> }>();

  function forward(chatId: string, chat: ChatState, out: { seq: number; item: ChatEvent }[]) {
    for (const { seq, item } of out) {
      chat.ring.add(seq, item.data);
      opts.publish(chatTopic(chatId), item.data);
      if (item.author && item.messageId) {
        for (const [userId, n] of chat.watchers) {
          if (n > 0 && userId !== item.author) opts.receipts.add({ chat_id: chatId, message_id: item.messageId, user_id: userId });
        }
      }
    }
    armGapTimer(chatId, chat);
  }

  function onChatMsg(chatId: string, msg: Msg) {
    const chat = chats.get(chatId);
    if (!chat) return;
    const rawSeq = msg.headers?.get(eventHeaders.seq);
    const author = msg.headers?.get(eventHeaders.author) || undefined;
    const messageId = msg.headers?.get(eventHeaders.messageId) || undefined;
    const event: ChatEvent = { data: msg.data, author, messageId };
    if (!rawSeq) {
      // No sequence: nothing to order it by, so it goes out as it came.
      opts.publish(chatTopic(chatId), msg.data);
      return;
    }
    const seq = /^\d{1,15}$/.test(rawSeq) ? Number(rawSeq) : NaN;
    if (Number.isNaN(seq)) {
      log.warn({ chatId, subject: msg.subject }, 'chat event with an invalid Chat-Seq header dropped');
      return;
    }
    forward(chatId, chat, chat.seq.push(seq, event));
  }

  function armGapTimer(chatId: string, chat: ChatState) {
    if (chat.seq.waiting === 0 || chat.seq.lastSeq === null) {
      if (chat.gapTimer) clearTimeout(chat.gapTimer);
      chat.gapTimer = null;
      chat.gapAttempts = 0;
      return;
    }
    chat.gapTimer ??= setTimeout(() => {
      chat.gapTimer = null;
      void fillGap(chatId, chat);
    }, opts.gapFillMs * Math.min(2 ** chat.gapAttempts, 20));
  }

  /** A gap stayed open: fetch the missing events from the messages service's event log. */
  async function fillGap(chatId: string, chat: ChatState) {
    const after = chat.seq.lastSeq;
    const firstWaiting = chat.seq.firstWaiting;
    if (after === null || firstWaiting === null || chats.get(chatId) !== chat) return;
    chat.gapAttempts++;
    try {
      const limit = Math.min(1000, Math.max(1, firstWaiting - after - 1));
      const reply = await request(nc, subjects.messagesEventsList, messagesEventsList, { chat_id: chatId, after_seq: after, limit });
      if (chats.get(chatId) !== chat) return;
      const out = [];
      for (const e of reply.events) out.push(...chat.seq.push(e.seq, fromFrame(e.frame)));
      if (chat.seq.waiting > 0 && chat.seq.lastSeq === after && reply.first_seq > after + 1) {
        log.warn({ chatId, after, firstKept: reply.first_seq }, 'chat events lost to retention; skipping the gap');
        out.push(...chat.seq.skipGap());
      }
      log.debug({ chatId, after, fetched: reply.events.length }, 'filled a chat sequence gap');
      forward(chatId, chat, out);
    } catch (err) {
      if (chats.get(chatId) !== chat) return;
      if (chat.gapAttempts >= 5) {
        log.warn({ err, chatId, after }, 'could not fill a chat sequence gap; skipping it');
        forward(chatId, chat, chat.seq.skipGap());
      } else {
        log.debug({ err, chatId, after }, 'gap fill failed, will retry');
        armGapTimer(chatId, chat);
      }
    }
  }

  return {
    /** Takes a reference on the chat's subscription, subscribing first so no event falls before the membership answer. */
    acquireChat(chatId: string): void {
      const chat = chats.get(chatId);
      if (chat) return void chat.refs++;
      const sub = nc.subscribe(subjects.chatEvents(chatId), { callback: (err, msg) => !err && onChatMsg(chatId, msg) });
      chats.set(chatId, {
        refs: 1,
        sub,
        seq: new ChatSequencer(),
        ring: new FrameRing(opts.ringSize),
        watchers: new Map(),
        gapTimer: null,
        gapAttempts: 0,
      });
    },

    /** The chat's last seq from a membership answer: the first one sets where forwarding starts. */
    startChat(chatId: string, lastSeq: number): void {
      const chat = chats.get(chatId);
      if (chat) forward(chatId, chat, chat.seq.start(lastSeq));
    },

    releaseChat(chatId: string): void {
      const chat = chats.get(chatId);
      if (!chat || --chat.refs > 0) return;
      chats.delete(chatId);
      if (chat.gapTimer) clearTimeout(chat.gapTimer);
      // Called from uWS close handlers: the NATS write happens after the callback (see presence.ts).
      queueMicrotask(() => chat.sub.unsubscribe());
    },

    /** The last forwarded seq of a chat (null before the start is known). */
    lastSeq(chatId: string): number | null {
      return chats.get(chatId)?.seq.lastSeq ?? null;
    },

    /** Forwarded frames with seq in (after, upTo] from the chat's ring, or null when it does not hold them. */
    recent(chatId: string, after: number, upTo: number) {
      return chats.get(chatId)?.ring.range(after, upTo) ?? null;
    },

    watch(chatId: string, userId: string, delta: 1 | -1): void {
      const chat = chats.get(chatId);
      if (!chat) return;
      const n = (chat.watchers.get(userId) ?? 0) + delta;
      if (n > 0) chat.watchers.set(userId, n);
      else chat.watchers.delete(userId);
    },

    /**
     * Takes a reference on the user's subscription. Resolves once NATS has the subscription (a flush
     * round trip), so an event published after the socket opens cannot be missed.
     */
    acquireUser(userId: string): Promise<void> {
      const user = users.get(userId);
      if (user) {
        user.refs++;
        return user.ready;
      }
      const sub = nc.subscribe(subjects.userEvents(userId), {
        callback: (err, msg) => !err && opts.publish(userTopic(userId), msg.data),
      });
      const ready = nc.flush().catch(() => undefined);
      users.set(userId, { refs: 1, sub, ready });
      return ready;
    },

    releaseUser(userId: string): void {
      const user = users.get(userId);
      if (!user || --user.refs > 0) return;
      users.delete(userId);
      queueMicrotask(() => user.sub.unsubscribe());
    },

    /** Counts, for tests and logs. */
    stats() {
      return { chats: chats.size, users: users.size };
    },

    close(): void {
      for (const chat of chats.values()) {
        if (chat.gapTimer) clearTimeout(chat.gapTimer);
        chat.sub.unsubscribe();
      }
      for (const user of users.values()) user.sub.unsubscribe();
      chats.clear();
      users.clear();
    },
  };
}

export type Broker = ReturnType<typeof createBroker>;

/** An event fetched from the log has no headers: the receipt fields of a new_message come from its frame. */
function fromFrame(frame: string): ChatEvent {
  const event: ChatEvent = { data: encodeText(frame) };
  try {
    const parsed = JSON.parse(frame) as { type?: string; payload?: { id?: unknown; user_id?: unknown } };
    if (parsed.type === 'new_message' && typeof parsed.payload?.id === 'string' && typeof parsed.payload.user_id === 'string') {
      event.author = parsed.payload.user_id;
      event.messageId = parsed.payload.id;
    }
  } catch {
    // Forwarded as is; a frame is the publisher's business.
  }
  return event;
}
