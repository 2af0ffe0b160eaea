import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createDroppedFrames, judgeSeq, MAX_SEQ_AHEAD } from './seq-guard.js';

describe('judgeSeq', () => {
  it('refuses a missing, malformed, zero or far-future seq and takes the rest', () => {
    expect(judgeSeq(null, 5)).toBe('missing_seq');
    expect(judgeSeq(NaN, 5)).toBe('malformed_seq');
    expect(judgeSeq(0, 5)).toBe('malformed_seq');
    expect(judgeSeq(5 + MAX_SEQ_AHEAD + 1, 5)).toBe('far_future_seq');
    expect(judgeSeq(5 + MAX_SEQ_AHEAD, 5)).toBeNull();
    expect(judgeSeq(3, 5)).toBeNull(); // a duplicate: the sequencer drops it quietly
    expect(judgeSeq(10 ** 12, null)).toBeNull(); // before the start: start() drops what is too far past it
  });
});

describe('createDroppedFrames', () => {
  it('counts every drop and warns at most once per 10 s with the count since the last warning', () => {
    const lines: any[] = [];
    const log = pino({ level: 'warn' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    const counted: string[] = [];
    let t = 0;
    const drop = createDroppedFrames(log, { chatFrameDropped: (r) => void counted.push(r) }, () => t);
    drop('missing_seq', 'ns.chat.c1.new_message', null);
    for (let i = 0; i < 5; i++) drop('far_future_seq', 'ns.chat.c1.new_message', 99_999);
    t = 10_000;
    drop('malformed_seq', 'ns.chat.c2.new_message', NaN);
    expect(counted).toHaveLength(7);
    expect(lines.map((l) => [l.subject, l.reason, l.dropped])).toEqual([
      ['ns.chat.c1.new_message', 'missing_seq', 1],
      ['ns.chat.c2.new_message', 'malformed_seq', 6],
    ]);
  });
});
