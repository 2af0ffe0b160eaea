import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Every metric name starts with it (the contract's naming). */
export const metricsPrefix = 'chatroulette_';

/** Seconds, from a fast local answer to a slow upstream: the buckets of request and publish latencies. */
export const latencyBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How long a value read on scrape may take before the scrape goes on without it. */
const READ_TIMEOUT_MS = 1000;

export interface ReadOnScrapeOptions {
  /** Called when a read fails or times out (the gauge then reads NaN: unknown, not zero). */
  onError?: (err: unknown) => void;
}

/**
 * The Prometheus metrics of one service instance, in a registry of its own: tests run several
 * services in one process, and prom-client's global registry would mix (or reject) their metrics.
 * Every metric carries the label `service`; names get the `chatroulette_` prefix here, once.
 */
export function createServiceMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: metricsPrefix });
  const named = (name: string) => `${metricsPrefix}${name}`;

  return {
    service,
    registry,
    /** The exposition's content type, for the `/metrics` answer. */
    contentType: registry.contentType,
    counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) {
      return new Counter<L>({ name: named(name), help, labelNames, registers: [registry] });
    },
    gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) {
      return new Gauge<L>({ name: named(name), help, labelNames, registers: [registry] });
    },
    histogram<L extends string = never>(name: string, help: string, opts: { labelNames?: readonly L[]; buckets?: number[] } = {}) {
      return new Histogram<L>({
        name: named(name),
        help,
        labelNames: opts.labelNames ?? [],
        buckets: opts.buckets ?? latencyBuckets,
        registers: [registry],
      });
    },
    /**
     * A gauge whose value is read when Prometheus scrapes (a cheap count), not kept up to date on
     * the hot path. A read that fails or takes over a second sets NaN, so a scrape during a database
     * outage still answers, with the other metrics.
     */
    gaugeOnScrape(name: string, help: string, read: () => Promise<number> | number, opts: ReadOnScrapeOptions = {}) {
      return new Gauge({
        name: named(name),
        help,
        registers: [registry],
        async collect() {
          try {
            this.set(await withTimeout(Promise.resolve().then(read), READ_TIMEOUT_MS));
          } catch (err) {
            opts.onError?.(err);
            this.set(Number.NaN);
          }
        },
      });
    },
    /** The text exposition of every metric. */
    scrape: () => registry.metrics(),
  };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;

/**
 * `read` shared by the gauges of one scrape: prom-client collects them together, so a second gauge
 * asking while the first read is in flight gets the same answer (one query for several gauges).
 */
export function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () =>
    (inFlight ??= read().finally(() => {
      inFlight = undefined;
    }));
}

/** Seconds since `start` (from process.hrtime.bigint()), for histograms. */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `fn` and observes its duration with `result` `ok` or `error` (the error is rethrown). */
export async function timed<T>(histogram: Histogram<'result'>, fn: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  try {
    const value = await fn();
    histogram.observe({ result: 'ok' }, secondsSince(start));
    return value;
  } catch (err) {
    histogram.observe({ result: 'error' }, secondsSince(start));
    throw err;
  }
}
