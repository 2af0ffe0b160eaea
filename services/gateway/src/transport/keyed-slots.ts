/**
 * How many of something each key holds at once (requests of an address, sockets of a user),
 * against a cap: a count, not a rate. A key that holds none is forgotten, so the map stays the size
 * of what is in use. A cap of 0 counts nothing and refuses nothing.
 */
export class KeyedSlots {
  private readonly held = new Map<string, number>();

  constructor(readonly cap: number) {}

  /** Takes one slot of `key`, or false when it holds `cap` already. */
  tryTake(key: string): boolean {
    if (this.cap === 0) return true;
    const n = this.held.get(key) ?? 0;
    if (n >= this.cap) return false;
    this.held.set(key, n + 1);
    return true;
  }

  /** Gives back one slot `tryTake` gave. */
  give(key: string): void {
    if (this.cap === 0) return;
    const n = (this.held.get(key) ?? 0) - 1;
    if (n > 0) this.held.set(key, n);
    else this.held.delete(key);
  }

  /** Slots `key` holds now. */
  heldBy(key: string): number {
    return this.held.get(key) ?? 0;
  }

  /** Keys holding a slot, for tests and logs. */
  get keys(): number {
    return this.held.size;
  }
}
