/** Where an item keeps its bucket's second (0: in none), so the sweep needs no map of its own. */
export interface ExpirySlot {
  expirySecond: number;
}

/**
 * Token expiry for every socket at once, instead of a timer per socket: items sit in a bucket per
 * expiry second (a Map from second to Set), and one interval hands each bucket whose second has
 * come to `onExpired`. An item is in at most one bucket (its slot says which); `add` again moves it.
 * Expiry fires between exp and exp + tickMs.
 */
export class ExpirySweep<T> {
  private readonly buckets = new Map<number, Set<T>>();
  /** Every second up to this one has been handed out (the current second is looked at again next tick). */
  private swept: number;
  private readonly timer: NodeJS.Timeout;

  private count = 0;

  constructor(
    private readonly slot: (item: T) => ExpirySlot,
    private readonly onExpired: (item: T) => void,
    tickMs = 250,
    private readonly now: () => number = Date.now,
  ) {
    this.swept = Math.floor(now() / 1000) - 1;
    this.timer = setInterval(() => this.sweep(), tickMs);
    this.timer.unref();
  }

  get size(): number {
    return this.count;
  }

  /** Expires `item` at `expSec` (seconds since the epoch), replacing any earlier schedule. */
  add(item: T, expSec: number): void {
    this.remove(item);
    // A second already swept would never be looked at again: such an item goes out at the next tick.
    const second = Math.max(Math.ceil(expSec), this.swept + 1);
    let bucket = this.buckets.get(second);
    if (!bucket) this.buckets.set(second, (bucket = new Set()));
    bucket.add(item);
    this.slot(item).expirySecond = second;
    this.count++;
  }

  remove(item: T): void {
    const slot = this.slot(item);
    const second = slot.expirySecond;
    if (second === 0) return;
    slot.expirySecond = 0;
    this.count--;
    const bucket = this.buckets.get(second);
    if (!bucket) return;
    bucket.delete(item);
    if (bucket.size === 0) this.buckets.delete(second);
  }

  /** Hands out every item whose second has come (exp * 1000 <= now). */
  sweep(): void {
    const now = Math.floor(this.now() / 1000);
    for (let second = this.swept + 1; second <= now; second++) {
      const bucket = this.buckets.get(second);
      if (!bucket) continue;
      this.buckets.delete(second);
      for (const item of bucket) {
        this.slot(item).expirySecond = 0;
        this.count--;
        this.onExpired(item);
      }
    }
    // Items may still be added to the current second (a token expiring right now): look at it again.
    this.swept = Math.max(this.swept, now - 1);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
