import type { Subscription } from 'nats';
import type { ChatEventType } from '@chatroulette/contracts';
import { encodeText } from '@chatroulette/nats';
import { chatTopic } from '../hub/topics.js';
import { ChatSequencer } from './chat-sequencer.js';
import { FrameRing } from './frame-ring.js';

export interface ChatEvent {
  data: Uint8Array;
  /** Set for new_message: the author and the message id, for delivery receipts. */
  author?: string;
  messageId?: string;
  /** A chatroulette_left: the chat may be closed from here on. */
  ends?: boolean;
}

/** One chat this gateway is subscribed to: its NATS subscription, order, recent frames and gap timer. */
export class ChatState {
  /** Sockets and admissions in progress holding the subscription. */
  refs = 1;
  /** False once released: work still running for it (a gap fill, a catch-up) must stop. */
  live = true;
  /** The uWS topic, made once. */
  readonly topic: string;
  readonly seq = new ChatSequencer<ChatEvent>();
  readonly ring: FrameRing;
  gapTimer: NodeJS.Timeout | null = null;
  gapAttempts = 0;

  constructor(
    readonly chatId: string,
    readonly sub: Subscription,
    ringSize: number,
  ) {
    this.topic = chatTopic(chatId);
    this.ring = new FrameRing(ringSize);
  }

  clearGapTimer(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
  }
}

/** The chat event after which a chat may be closed. */
export const chatEndEvent: ChatEventType = 'chatroulette_left';

/** Events in seq order, ready to forward. */
export type Ordered = { seq: number; item: ChatEvent }[];

/** An event fetched from the log has no headers: the receipt fields of a new_message come from its frame. */
export function fromFrame(frame: string): ChatEvent {
  const event: ChatEvent = { data: encodeText(frame) };
  try {
    const parsed = JSON.parse(frame) as { type?: string; payload?: { id?: unknown; user_id?: unknown } };
    if (parsed.type === chatEndEvent) event.ends = true;
    if (parsed.type === 'new_message' && typeof parsed.payload?.id === 'string' && typeof parsed.payload.user_id === 'string') {
      event.author = parsed.payload.user_id;
      event.messageId = parsed.payload.id;
    }
  } catch {
    // Forwarded as is; a frame is the publisher's business.
  }
  return event;
}
