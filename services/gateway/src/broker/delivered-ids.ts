/**
 * The de-duplication ids (Nats-Msg-Id) of the durable user events this gateway forwarded, so that a
 * catch-up after a reconnect, which reads back past the moment the link went, never sends one twice.
 * Kept `keepMs` after they came; while a catch-up is pending (`holdFrom`), nothing it may read back
 * to is forgotten, however long the outage. At most `max` ids (the oldest go first).
 */
export class DeliveredIds {
  private readonly ids = new Map<string, number>();
  private heldFrom: number | null = null;

  constructor(
    private readonly keepMs: number,
    private readonly max = 100_000,
  ) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string, now = Date.now()): void {
    this.ids.set(id, now);
    this.forget(now);
  }

  /** Keeps every id that came at or after `from` until release(). */
  holdFrom(from: number): void {
    this.heldFrom = this.heldFrom === null ? from : Math.min(this.heldFrom, from);
  }

  release(): void {
    this.heldFrom = null;
  }

  get size(): number {
    return this.ids.size;
  }

  private forget(now: number): void {
    const before = Math.min(now - this.keepMs, this.heldFrom ?? Infinity);
    // Insertion order is arrival order: the oldest come first.
    for (const [id, at] of this.ids) {
      if (at >= before && this.ids.size <= this.max) break;
      this.ids.delete(id);
    }
  }
}
