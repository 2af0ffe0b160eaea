import { describe, expect, it } from 'vitest';
import { Histogram } from './histogram.js';

describe('Histogram', () => {
  it('answers quantiles within its 3% precision', () => {
    const h = new Histogram();
    for (let v = 1; v <= 10_000; v++) h.record(v);
    expect(h.quantile(0.5)).toBeGreaterThanOrEqual(5000);
    expect(h.quantile(0.5)).toBeLessThanOrEqual(5000 * 1.04);
    expect(h.quantile(0.99)).toBeGreaterThanOrEqual(9900);
    expect(h.quantile(0.99)).toBeLessThanOrEqual(9900 * 1.04);
    expect(h.quantile(1)).toBe(10_000);
  });

  it('merges what another process recorded', () => {
    const a = new Histogram();
    const b = new Histogram();
    for (let i = 0; i < 99; i++) a.record(100);
    b.record(1_000_000);
    a.merge(JSON.parse(JSON.stringify(b.toJSON())));
    expect(a.total).toBe(100);
    expect(a.quantile(0.5)).toBeLessThanOrEqual(104);
    expect(a.quantile(1)).toBe(1_000_000);
    expect(a.summary().maxMs).toBe(1000);
  });
});
