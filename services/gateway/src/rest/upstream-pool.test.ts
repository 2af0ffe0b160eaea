import { describe, expect, it } from 'vitest';
import { UpstreamPool } from './upstream-pool.js';

describe('UpstreamPool', () => {
  it('rotates through the origins', () => {
    const pool = new UpstreamPool(['a', 'b', 'c']);
    expect(pool.order()[0]).toBe('a');
    expect(pool.order()[0]).toBe('b');
    expect(pool.order()[0]).toBe('c');
    expect(pool.order()[0]).toBe('a');
  });

  it('puts an origin that refused last, until its pause ends', () => {
    const pool = new UpstreamPool(['a', 'b'], 1000);
    pool.markDown('a', 0);
    expect(pool.order(10)).toEqual(['b', 'a']);
    expect(pool.order(20)).toEqual(['b', 'a']);
    expect(pool.order(2000)).toEqual(['a', 'b']);
  });

  it('is empty when nothing is configured', () => {
    expect(new UpstreamPool([]).order()).toEqual([]);
  });
});
