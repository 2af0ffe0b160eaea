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

  it('keeps the right bytes for each seq across many wrap-arounds', () => {
    const ring = new FrameRing(4);
    const text = (f: { data: Uint8Array }) => new TextDecoder().decode(f.data);
    for (let s = 10; s <= 31; s++) {
      ring.add(s, bytes(`f${s}`));
      const from = Math.max(9, s - 4);
      expect(ring.range(from, s)?.map(text)).toEqual(Array.from({ length: s - from }, (_, i) => `f${from + i + 1}`));
    }
    expect(ring.range(26, 31)).toBeNull();
    ring.add(40, bytes('f40'));
    expect(ring.range(39, 40)?.map(text)).toEqual(['f40']);
    expect(ring.range(30, 31)).toBeNull();
  });
});
