import { describe, expect, it } from 'vitest';
import { ChatSequencer } from './chat-sequencer.js';

const seqs = (out: { seq: number }[]) => out.map((e) => e.seq);

describe('ChatSequencer', () => {
  it('holds everything until the starting point is known, then drops what it already covers', () => {
    const s = new ChatSequencer<string>();
    expect(s.push(5, 'e5')).toEqual([]);
    expect(s.push(4, 'e4')).toEqual([]);
    expect(s.push(6, 'e6')).toEqual([]);
    expect(seqs(s.start(4))).toEqual([5, 6]);
    expect(s.lastSeq).toBe(6);
    expect(s.waiting).toBe(0);
  });

  it('forwards in order, buffers ahead of a gap, and drops duplicates', () => {
    const s = new ChatSequencer<string>();
    s.start(0);
    expect(seqs(s.push(1, 'a'))).toEqual([1]);
    expect(seqs(s.push(3, 'c'))).toEqual([]);
    expect(s.waiting).toBe(1);
    expect(s.firstWaiting).toBe(3);
    expect(seqs(s.push(1, 'a again'))).toEqual([]);
    expect(seqs(s.push(3, 'c again'))).toEqual([]);
    expect(s.push(2, 'b')).toEqual([
      { seq: 2, item: 'b' },
      { seq: 3, item: 'c' },
    ]);
    expect(seqs(s.push(2, 'b again'))).toEqual([]);
    expect(s.lastSeq).toBe(3);
  });

  it('ignores a second start', () => {
    const s = new ChatSequencer<string>();
    s.start(10);
    expect(s.start(2)).toEqual([]);
    expect(s.lastSeq).toBe(10);
  });

  it('skips a gap that cannot be filled', () => {
    const s = new ChatSequencer<string>();
    s.start(1);
    s.push(5, 'e');
    s.push(6, 'f');
    expect(seqs(s.skipGap())).toEqual([5, 6]);
    expect(s.lastSeq).toBe(6);
  });

  it('advance takes only the next seq, only when nothing waits and the start is known', () => {
    const seq = new ChatSequencer<string>();
    expect(seq.advance(1)).toBe(false); // start unknown
    seq.start(0);
    expect(seq.advance(1)).toBe(true);
    expect(seq.advance(1)).toBe(false); // duplicate
    expect(seq.advance(3)).toBe(false); // early
    expect(seq.push(3, 'c')).toEqual([]);
    expect(seq.advance(2)).toBe(false); // 3 waits: the slow path must release it
    expect(seq.push(2, 'b')).toEqual([
      { seq: 2, item: 'b' },
      { seq: 3, item: 'c' },
    ]);
    expect(seq.advance(4)).toBe(true);
    expect(seq.lastSeq).toBe(4);
  });

  it('dropBeyond drops what waits past a limit and keeps the rest', () => {
    const s = new ChatSequencer<string>();
    s.push(3, 'c');
    s.push(50_000, 'forged');
    expect(seqs(s.start(2))).toEqual([3]);
    expect(s.dropBeyond(3 + 10_000)).toEqual([50_000]);
    expect(s.waiting).toBe(0);
  });
});
