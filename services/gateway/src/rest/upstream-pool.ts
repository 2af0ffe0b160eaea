/**
 * Base URLs of one service, used round-robin; an origin that refused a connection is skipped
 * for a short while so the next requests go to the others.
 */
export class UpstreamPool {
  private next = 0;
  private readonly downUntil = new Map<string, number>();

  constructor(
    readonly origins: readonly string[],
    private readonly downForMs = 2000,
  ) {}

  /** Origins in the order to try for one request: the live ones from the round-robin position, then the others. */
  order(now = Date.now()): string[] {
    const n = this.origins.length;
    if (n === 0) return [];
    const start = this.next++ % n;
    const rotated = [...this.origins.slice(start), ...this.origins.slice(0, start)];
    const live = rotated.filter((o) => (this.downUntil.get(o) ?? 0) <= now);
    const down = rotated.filter((o) => (this.downUntil.get(o) ?? 0) > now);
    return [...live, ...down];
  }

  markDown(origin: string, now = Date.now()): void {
    this.downUntil.set(origin, now + this.downForMs);
  }

  markUp(origin: string): void {
    this.downUntil.delete(origin);
  }
}
