import { typingThrottleMs } from '@chatroulette/contracts';

/** Entries kept before the expired ones are dropped. */
const PRUNE_AT = 10_000;

/**
 * At most one `is_typing: true` per user per chat within the window. The sending gateway asks it
 * before it spends a budget or publishes (a client that sends one per keystroke costs nothing), each
 * receiving gateway again for what it forwards (one user typing on two gateways).
 */
export class TypingThrottle {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly windowMs = typingThrottleMs,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a `true` now would be dropped. */
  blocked(userId: string, chatId: string): boolean {
    const at = this.last.get(`${userId}:${chatId}`);
    return at !== undefined && this.now() - at < this.windowMs;
  }

  /** A `true` went out now. */
  mark(userId: string, chatId: string): void {
    const now = this.now();
    this.last.set(`${userId}:${chatId}`, now);
    if (this.last.size > PRUNE_AT) for (const [key, at] of this.last) if (now - at >= this.windowMs) this.last.delete(key);
  }

  /** Marks and says true, unless blocked. */
  admit(userId: string, chatId: string): boolean {
    if (this.blocked(userId, chatId)) return false;
    this.mark(userId, chatId);
    return true;
  }
}
