import type { Msg, NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import { messagesEventsList, type Subjects } from '@chatroulette/contracts';
import { encodeText, request } from '@chatroulette/nats';
import { ChatSequencer } from './chat-sequencer.js';
import { readEventMeta } from './event-headers.js';
import { FrameRing } from './frame-ring.js';
import type { Receipts } from './receipts.js';
import { chatTopic, userTopic } from './topics.js';

/** Events per request to the messages service's event log (its own cap). */
const FETCH_LIMIT = 1000;
/** Tries to catch up on a chat after a reconnect, backing off up to 5 s: about 40 s in all. */
const CATCH_UP_ATTEMPTS = 12;

interface ChatEvent {
  data: Uint8Array;
  /** Set for new_message: the author and the message id, for delivery receipts. */
  author?: string;
  messageId?: string;
}

interface ChatState {
  refs: number;
  /** The uWS topic, made once. */
  topic: string;
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
  /** Sockets (and admissions in progress) per user here: the users whose events are forwarded. */
  const users = new Map<string, number>();
  /** One subscription for every user's events (see acquireUser), made on first use. */
  let userSub: Subscription | null = null;
  let userSubReady: Promise<void> | null = null;
  const userSubjectPrefix = subjects.allUserEvents.slice(0, -1); // `<ns>user.`

  function onUserMsg(msg: Msg) {
    const { subject } = msg;
    const end = subject.indexOf('.', userSubjectPrefix.length);
    const userId = subject.slice(userSubjectPrefix.length, end < 0 ? undefined : end);
    if (users.has(userId)) opts.publish(userTopic(userId), msg.data);
  }

  function forward(chatId: string, chat: ChatState, out: { seq: number; item: ChatEvent }[]) {
    for (const { seq, item } of out) send(chatId, chat, seq, item.data, item.author, item.messageId);
    armGapTimer(chatId, chat);
  }

  /** One event in order: into the ring, out to the chat's topic, and receipts for a new_message. */
  function send(chatId: string, chat: ChatState, seq: number, data: Uint8Array, author: string | undefined, messageId: string | undefined) {
    chat.ring.add(seq, data);
    opts.publish(chat.topic, data);
    if (author && messageId) {
      for (const [userId, n] of chat.watchers) {
        if (n > 0 && userId !== author) opts.receipts.add({ chat_id: chatId, message_id: messageId, user_id: userId });
      }
    }
  }

  function onChatMsg(chatId: string, msg: Msg) {
    const chat = chats.get(chatId);
    if (!chat) return;
    const meta = readEventMeta(msg);
    if (!meta || meta.seq === null) {
      // No sequence: nothing to order it by, so it goes out as it came.
      opts.publish(chat.topic, msg.data);
      return;
    }
    const { seq } = meta;
    if (Number.isNaN(seq)) {
      log.warn({ chatId, subject: msg.subject }, 'chat event with an invalid Chat-Seq header dropped');
      return;
    }
    if (chat.seq.advance(seq)) {
      // In order with nothing waiting (the usual case): no buffering, no gap to watch.
      send(chatId, chat, seq, msg.data, meta.author, meta.messageId);
      if (chat.gapTimer || chat.gapAttempts) armGapTimer(chatId, chat);
      return;
    }
    forward(chatId, chat, chat.seq.push(seq, { data: msg.data, author: meta.author, messageId: meta.messageId }));
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

  /** Events after `after` from the messages service's event log, put through the sequencer and forwarded. */
  async function fetchAfter(chatId: string, chat: ChatState, after: number, limit: number) {
    const reply = await request(nc, subjects.messagesEventsList, messagesEventsList, { chat_id: chatId, after_seq: after, limit });
    if (chats.get(chatId) !== chat) return null;
    const out = [];
    for (const e of reply.events) out.push(...chat.seq.push(e.seq, fromFrame(e.frame)));
    return { reply, out };
  }

  /** A gap stayed open: fetch the missing events from the messages service's event log. */
  async function fillGap(chatId: string, chat: ChatState) {
    const after = chat.seq.lastSeq;
    const firstWaiting = chat.seq.firstWaiting;
    if (after === null || firstWaiting === null || chats.get(chatId) !== chat) return;
    chat.gapAttempts++;
    try {
      const fetched = await fetchAfter(chatId, chat, after, Math.min(FETCH_LIMIT, Math.max(1, firstWaiting - after - 1)));
      if (!fetched) return;
      const { reply, out } = fetched;
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

  /**
   * After a reconnect to NATS: events published while this gateway was away (a relay flushing its
   * backlog the moment NATS is back, before this gateway resubscribed) reached nobody here, and
   * with no later event no gap ever shows. Each chat's tail is fetched from the log, page by page,
   * retrying while the messages service is itself still reconnecting.
   */
  async function catchUp(chatId: string, chat: ChatState) {
    for (let attempt = 0; chats.get(chatId) === chat; ) {
      const after = chat.seq.lastSeq;
      if (after === null) return; // the membership answer will set the start
      try {
        const fetched = await fetchAfter(chatId, chat, after, FETCH_LIMIT);
        if (!fetched) return;
        forward(chatId, chat, fetched.out);
        if (fetched.reply.events.length > 0) log.info({ chatId, after, fetched: fetched.reply.events.length }, 'caught up on chat events missed while away from NATS');
        // A short page is the end; a full one that did not advance has a gap (retention), left to the gap timer.
        if (fetched.reply.events.length < FETCH_LIMIT || chat.seq.lastSeq === after) return;
      } catch (err) {
        if (++attempt >= CATCH_UP_ATTEMPTS) return void log.warn({ err, chatId, after }, 'could not catch up on a chat after a NATS reconnect');
        await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 5000)));
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
        topic: chatTopic(chatId),
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
     * Takes a reference on the user's events. They come from one subscription to every user's
     * events (`user.>`), made on the first call and flushed once: the promise resolves when NATS
     * has it, so an event published after the socket opens cannot be missed. One subscription per
     * user cost about 1.2 KB of heap per user, a SUB and a flush round trip at each new user's
     * upgrade; the price is that each gateway receives (and drops) the events of users connected
     * elsewhere, which are few (today only chatroulette_match), not the chat traffic.
     */
    acquireUser(userId: string): Promise<void> {
      users.set(userId, (users.get(userId) ?? 0) + 1);
      if (!userSubReady) {
        userSub = nc.subscribe(subjects.allUserEvents, { callback: (err, msg) => !err && onUserMsg(msg) });
        userSubReady = nc.flush().catch(() => undefined);
      }
      return userSubReady;
    },

    releaseUser(userId: string): void {
      const n = (users.get(userId) ?? 0) - 1;
      if (n > 0) users.set(userId, n);
      else users.delete(userId);
    },

    /** Fetches every chat's missed tail once NATS has this gateway's subscriptions again (see catchUp). */
    async resync(): Promise<void> {
      try {
        await nc.flush();
      } catch {
        return; // disconnected again: the next reconnect resyncs
      }
      await Promise.all([...chats].map(([chatId, chat]) => catchUp(chatId, chat)));
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
      userSub?.unsubscribe();
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
