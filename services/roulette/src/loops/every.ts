import type { Logger } from 'pino';

export interface Loop {
  /** Stops scheduling and waits for a run in progress. */
  stop(): Promise<void>;
}

/** Runs `fn` every `intervalMs` (never two runs at once); a failing run is logged and the loop goes on. */
export function every(name: string, intervalMs: number, fn: () => Promise<unknown>, log: Logger): Loop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = () => {
    running = fn()
      .then(() => undefined)
      .catch((err: unknown) => log.warn({ err, loop: name }, 'loop run failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
