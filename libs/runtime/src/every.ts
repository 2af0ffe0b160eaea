import type { Logger } from '@chatroulette/logger';

export interface Job {
  /** Stops scheduling and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `fn` every `intervalMs`, never two runs at once (the next run is timed from the end of the
 * last); a failing run is logged and the job goes on.
 */
export function every(name: string, intervalMs: number, fn: () => Promise<unknown> | unknown, log: Logger): Job {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = () => {
    running = Promise.resolve()
      .then(fn)
      .then(() => undefined)
      .catch((err: unknown) => log.warn({ err, job: name }, 'job run failed'))
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
