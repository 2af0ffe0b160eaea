import type { Logger } from '@chatroulette/logger';

/** What every service (and the gateway) offers its main.ts and its tests. */
export interface ServiceLifecycle {
  /** Resolves once the service answers; a second call returns the same promise. */
  start(): Promise<{ port: number }>;
  /** Frees everything so the process can end on its own. Idempotent; safe during and after a failed start. */
  destroy(): Promise<void>;
}

/** Registers what a starting service acquires, so destroy() gives it back. */
export interface Owner {
  /** `close` runs at destroy, after everything acquired later has been closed (reverse order). */
  own<T>(label: string, resource: T, close: (resource: T) => Promise<unknown> | unknown): T;
  /** A teardown step with nothing to hold, e.g. flushing a batch; runs in the same reverse order. */
  atStop(label: string, step: () => Promise<unknown> | unknown): void;
}

/**
 * The create / start / destroy of every service. `boot` acquires the service's resources through
 * `owner.own`, in dependency order (database, NATS, handlers, jobs, HTTP last); destroy closes them in
 * the reverse order (HTTP first, database last), each once, logging a step that fails and going on.
 */
export function defineService(name: string, log: Logger, boot: (owner: Owner) => Promise<{ port: number }>): ServiceLifecycle {
  const steps: { label: string; run: () => Promise<unknown> | unknown }[] = [];
  let starting: Promise<{ port: number }> | undefined;
  let destroyed: Promise<void> | undefined;

  const owner: Owner = {
    own(label, resource, close) {
      steps.push({ label, run: () => close(resource) });
      return resource;
    },
    atStop(label, step) {
      steps.push({ label, run: step });
    },
  };

  return {
    start() {
      if (destroyed) return Promise.reject(new Error(`${name} service already destroyed`));
      starting ??= boot(owner).then((r) => {
        log.info({ port: r.port }, `${name} service listening`);
        return r;
      });
      return starting;
    },
    destroy() {
      destroyed ??= (async () => {
        await starting?.catch(() => undefined);
        for (const step of steps.splice(0).reverse()) {
          try {
            await step.run();
          } catch (err) {
            log.warn({ err, step: step.label }, 'shutdown step failed');
          }
        }
        log.info(`${name} service stopped`);
      })();
      return destroyed;
    },
  };
}
