export interface Batcher<T> {
  add(item: T): void;
  /** Flushes what is pending now; resolves when every flush so far has finished. */
  flush(): Promise<void>;
  /** Items added and not yet handed to a flush. */
  readonly pending: number;
}

/**
 * "Flush at N or after T": items are collected and handed to `flush` together, when `maxItems` are
 * pending or `maxDelayMs` after the first of a batch. Flushes run one after another, in order; a
 * failing flush is the caller's to handle inside `flush` (its rejection is swallowed here so the
 * next batch still goes).
 */
export function createBatcher<T>(opts: { maxItems: number; maxDelayMs: number; flush: (items: T[]) => Promise<unknown> | unknown }): Batcher<T> {
  let items: T[] = [];
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (items.length === 0) return chain;
    const batch = items;
    items = [];
    chain = chain.then(() => opts.flush(batch)).then(
      () => undefined,
      () => undefined,
    );
    return chain;
  }

  return {
    add(item) {
      items.push(item);
      if (items.length >= opts.maxItems) void flush();
      else timer ??= setTimeout(() => void flush(), opts.maxDelayMs);
    },
    flush,
    get pending() {
      return items.length;
    },
  };
}
