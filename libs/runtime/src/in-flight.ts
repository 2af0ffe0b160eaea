/** Work started by handlers, awaited on shutdown so nothing runs against a closed pool or connection. */
export interface InFlight {
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves when everything tracked so far has settled. */
  settled(): Promise<void>;
}

export function createInFlight(): InFlight {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      running.add(work);
      void work.then(
        () => running.delete(work),
        () => running.delete(work),
      );
      return work;
    },
    async settled() {
      await Promise.allSettled([...running]);
    },
  };
}
