import { describe, expect, it } from 'vitest';
import { parseRange } from './byte-range.js';

describe('parseRange', () => {
  it.each([
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=5-', { start: 5, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=-500', { start: 0, end: 99 }],
    ['bytes=90-1000', { start: 90, end: 99 }],
    [' bytes=1-1 ', { start: 1, end: 1 }],
  ] as const)('%s of 100 bytes -> %o', (header, range) => expect(parseRange(header, 100)).toEqual(range));

  it('sends the whole file for no header, several ranges, another unit or nonsense', () => {
    for (const h of [undefined, 'bytes=0-1,5-6', 'items=0-1', 'bytes=-', 'bytes=abc', 'bytes=9-3']) expect(parseRange(h, 100)).toBeNull();
  });

  it('is unsatisfiable past the end, for an empty suffix and on an empty file', () => {
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
  });
});
