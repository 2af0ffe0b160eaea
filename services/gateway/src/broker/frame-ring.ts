/** The last few forwarded frames of one chat, contiguous in seq, for `since` replays without a round trip. */
export class FrameRing {
  private readonly frames: { seq: number; data: Uint8Array }[] = [];

  constructor(private readonly size: number) {}

  add(seq: number, data: Uint8Array): void {
    if (this.size === 0) return;
    const lastSeq = this.frames.at(-1)?.seq;
    // Only contiguous runs are useful: a jump (a skipped gap) starts the ring again.
    if (lastSeq !== undefined && seq !== lastSeq + 1) this.frames.length = 0;
    this.frames.push({ seq, data });
    if (this.frames.length > this.size) this.frames.shift();
  }

  /** Frames with seq in (after, upTo], or null when the ring does not hold all of them. */
  range(after: number, upTo: number): { seq: number; data: Uint8Array }[] | null {
    if (upTo <= after) return [];
    const first = this.frames[0];
    const last = this.frames.at(-1);
    if (!first || !last || first.seq > after + 1 || last.seq < upTo) return null;
    return this.frames.slice(after + 1 - first.seq, upTo + 1 - first.seq);
  }
}
