/**
 * Puts one chat's events in seq order, exactly once: an event at or below the last forwarded seq
 * is a duplicate, the next one goes out with any buffered successors, a later one waits for the gap.
 * Until `start(last)` (the membership answer) everything waits.
 */
export class ChatSequencer<T> {
  private last: number | null = null;
  private readonly pending = new Map<number, T>();

  get lastSeq(): number | null {
    return this.last;
  }

  /** Buffered events waiting for a gap to fill. */
  get waiting(): number {
    return this.pending.size;
  }

  /** The smallest buffered seq, or null. */
  get firstWaiting(): number | null {
    let min: number | null = null;
    for (const s of this.pending.keys()) if (min === null || s < min) min = s;
    return min;
  }

  /** Sets the starting point once; later calls are ignored. Returns what can go out now. */
  start(last: number): { seq: number; item: T }[] {
    if (this.last !== null) return [];
    this.last = last;
    for (const s of [...this.pending.keys()]) if (s <= last) this.pending.delete(s);
    return this.flush();
  }

  /**
   * The common case without allocating: when `seq` is the next one and nothing waits, it counts as
   * forwarded and true is returned (the caller sends it); otherwise nothing changes (use push).
   */
  advance(seq: number): boolean {
    if (this.last === null || seq !== this.last + 1 || this.pending.size !== 0) return false;
    this.last = seq;
    return true;
  }

  /** Offers one event; returns the events to forward now, in order (possibly none). */
  push(seq: number, item: T): { seq: number; item: T }[] {
    if (this.last !== null && seq <= this.last) return [];
    if (!this.pending.has(seq)) this.pending.set(seq, item);
    return this.last === null ? [] : this.flush();
  }

  /** Drops the buffered events with seq above `limit` (frames no real publisher sent); returns their seqs. */
  dropBeyond(limit: number): number[] {
    const gone = [...this.pending.keys()].filter((s) => s > limit);
    for (const s of gone) this.pending.delete(s);
    return gone;
  }

  /** Gives up on the events before the first buffered one (lost for good) and forwards from there. */
  skipGap(): { seq: number; item: T }[] {
    const first = this.firstWaiting;
    if (first === null || this.last === null) return [];
    this.last = first - 1;
    return this.flush();
  }

  private flush(): { seq: number; item: T }[] {
    const out: { seq: number; item: T }[] = [];
    let next = this.last! + 1;
    for (let item = this.pending.get(next); item !== undefined; item = this.pending.get(next)) {
      this.pending.delete(next);
      out.push({ seq: next, item });
      this.last = next;
      next++;
    }
    return out;
  }
}
