import type { NatsConnection } from 'nats';
import type { Subjects } from '@chatroulette/contracts';
import { outsideUws } from '../transport/outside-uws.js';
import { catchUp } from './catch-up.js';
import { createChatForwarder, type ChatForwarderOptions } from './chat-forwarder.js';
import { ChatState } from './chat-state.js';
import { createUserEvents } from './user-events.js';

export interface BrokerOptions extends ChatForwarderOptions {
  nc: NatsConnection;
  subjects: Subjects;
  ringSize: number;
  /** Auth's user presence events (see user-events.ts). */
  userPresence?: (userId: string, data: Uint8Array) => void;
}

/**
 * NATS to uWS topics: one NATS subscription per chat that has a socket here (reference-counted),
 * whose events chat-forwarder.ts puts in order, and the one subscription to every user's events.
 */
export function createBroker(opts: BrokerOptions) {
  const { nc, subjects, log, hub } = opts;
  const chats = new Map<string, ChatState>();
  const forwarder = createChatForwarder(opts);
  const userEvents = createUserEvents({ nc, subjects, log, hasUser: (userId) => hub.hasUser(userId), publish: opts.publish, presence: opts.userPresence });

  return {
    /** Takes a reference on the chat's subscription, subscribing first so no event falls before the membership answer. */
    acquireChat(chatId: string): void {
      const existing = chats.get(chatId);
      if (existing) return void existing.refs++;
      let chat: ChatState | undefined;
      const sub = nc.subscribe(subjects.chatEvents(chatId), { callback: (err, msg) => !err && chat && forwarder.received(chat, msg) });
      chat = new ChatState(chatId, sub, opts.ringSize);
      chats.set(chatId, chat);
    },

    /** The chat's last seq from a membership answer: the first one sets where forwarding starts. */
    startChat(chatId: string, lastSeq: number): void {
      const chat = chats.get(chatId);
      if (chat) forwarder.start(chat, lastSeq);
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
    userEventsReady: (): Promise<void> => userEvents.ready(),

    /** The last forwarded seq of a chat (null before the start is known). */
    lastSeq(chatId: string): number | null {
      return chats.get(chatId)?.seq.lastSeq ?? null;
    },

    /** Forwarded frames with seq in (after, upTo] from the chat's ring, or null when it does not hold them. */
    recent(chatId: string, after: number, upTo: number) {
      return chats.get(chatId)?.ring.range(after, upTo) ?? null;
    },

    /**
     * Once NATS has this gateway's subscriptions again: every chat's missed tail (catch-up.ts) and
     * the durable user events stored since the link went (user-events.ts). `disconnectedAt`: when
     * the client noticed it was cut off.
     */
    async resync(disconnectedAt: number): Promise<void> {
      try {
        await nc.flush();
      } catch {
        return; // disconnected again: the next reconnect resyncs
      }
      await Promise.all([
        ...[...chats.values()].map((chat) => catchUp(chat, { events: opts.events, log, forward: forwarder.forward })),
        userEvents.catchUp(disconnectedAt),
      ]);
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
