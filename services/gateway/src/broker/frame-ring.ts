/**
 * The last few forwarded frames of one chat, contiguous in seq, for `since` replays without a round
 * trip. A circular buffer: it grows to `size` and then overwrites its oldest slot (no object per
 * frame, no shifting).
 */
export class FrameRing {
  private readonly frames: Uint8Array[] = [];
  /** Slot of the oldest frame. */
  private start = 0;
  /** Seq of the oldest frame (meaningless while empty). */
  private firstSeq = 0;

  constructor(private readonly size: number) {}

  add(seq: number, data: Uint8Array): void {
    if (this.size === 0) return;
    const n = this.frames.length;
    // Only contiguous runs are useful: a jump (a skipped gap) starts the ring again.
    if (n > 0 && seq !== this.firstSeq + n) {
      this.frames.length = 0;
      this.start = 0;
    }
    if (this.frames.length === 0) this.firstSeq = seq;
    if (this.frames.length < this.size) {
      this.frames.push(data);
      return;
    }
    this.frames[this.start] = data;
    this.start = (this.start + 1) % this.size;
    this.firstSeq++;
  }

  /** Frames with seq in (after, upTo], or null when the ring does not hold all of them. */
  range(after: number, upTo: number): { seq: number; data: Uint8Array }[] | null {
    if (upTo <= after) return [];
    const n = this.frames.length;
    if (n === 0 || this.firstSeq > after + 1 || this.firstSeq + n - 1 < upTo) return null;
    const out: { seq: number; data: Uint8Array }[] = [];
    for (let seq = after + 1; seq <= upTo; seq++) {
      out.push({ seq, data: this.frames[(this.start + (seq - this.firstSeq)) % n]! });
    }
    return out;
  }
}
