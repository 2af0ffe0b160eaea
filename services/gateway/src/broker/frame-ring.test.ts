import { describe, expect, it } from 'vitest';
import { FrameRing } from './frame-ring.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('FrameRing', () => {
  it('returns the frames after a seq when it holds them all', () => {
    const ring = new FrameRing(3);
    for (let s = 1; s <= 5; s++) ring.add(s, bytes(`f${s}`));
    expect(ring.range(2, 5)?.map((f) => f.seq)).toEqual([3, 4, 5]);
    expect(ring.range(3, 4)?.map((f) => f.seq)).toEqual([4]);
    expect(ring.range(5, 5)).toEqual([]);
    expect(ring.range(1, 5)).toBeNull();
  });

  it('starts again after a jump in seq', () => {
    const ring = new FrameRing(10);
    ring.add(1, bytes('a'));
    ring.add(2, bytes('b'));
    ring.add(7, bytes('g'));
    expect(ring.range(1, 7)).toBeNull();
    expect(ring.range(6, 7)?.map((f) => f.seq)).toEqual([7]);
  });
});
