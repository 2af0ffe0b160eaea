/** A small typed event emitter: `on` returns the function that removes the listener. */
export class Emitter<Events extends { [K in keyof Events]: unknown[] }> {
  private readonly listeners = new Map<keyof Events, Set<unknown>>();

  on<K extends keyof Events>(type: K, listener: (...args: Events[K]) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => this.off(type, listener);
  }

  once<K extends keyof Events>(type: K, listener: (...args: Events[K]) => void): () => void {
    const off = this.on(type, (...args) => {
      off();
      listener(...args);
    });
    return off;
  }

  off<K extends keyof Events>(type: K, listener: (...args: Events[K]) => void): void {
    this.listeners.get(type)?.delete(listener);
  }

  /** A listener that throws does not stop the others nor the emitter's owner; its error is rethrown on its own. */
  protected emit<K extends keyof Events>(type: K, ...args: Events[K]): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) {
      try {
        (listener as (...a: Events[K]) => void)(...args);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
