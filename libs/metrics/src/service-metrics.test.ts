import { describe, expect, it } from 'vitest';
import { createServiceMetrics, sharedRead } from './service-metrics.js';

describe('one registry per service instance', () => {
  it('lets two services in one process define the same metrics, each counting its own', () => {
    const a = createServiceMetrics('a');
    const b = createServiceMetrics('b');
    const ca = a.counter('same_total', 'x');
    const cb = b.counter('same_total', 'x');
    ca.inc(3);
    cb.inc();
    return Promise.all([a.scrape(), b.scrape()]).then(([ta, tb]) => {
      expect(ta).toContain('chatroulette_same_total{service="a"} 3');
      expect(tb).toContain('chatroulette_same_total{service="b"} 1');
    });
  });

  it('reads a gauge on scrape, and sets NaN (not the last value, not 0) when the read fails', async () => {
    const m = createServiceMetrics('g');
    let value: number | Error = 7;
    m.gaugeOnScrape('things', 'x', async () => {
      if (value instanceof Error) throw value;
      return value;
    });
    expect(await m.scrape()).toContain('chatroulette_things{service="g"} 7');
    value = 9;
    expect(await m.scrape()).toContain('chatroulette_things{service="g"} 9');
    value = new Error('database gone');
    // prom-client writes NaN as `Nan`; Prometheus parses either.
    expect(await m.scrape()).toMatch(/^chatroulette_things\{service="g"\} nan$/im);
  });
});

describe('sharedRead', () => {
  it('gives callers that ask while a read is in flight the same read, and reads again after', async () => {
    let reads = 0;
    const read = sharedRead(async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 20));
      return reads;
    });
    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    expect(await read()).toBe(2);
  });
});
