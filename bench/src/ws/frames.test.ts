import { describe, expect, it } from 'vitest';
import { FrameReader, OP_TEXT, clientFrame, readStamp, stamp } from './frames.js';

function serverFrame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x80 | opcode, n]) : n < 65536 ? Buffer.from([0x80 | opcode, 126, n >> 8, n & 255]) : null;
  if (!head) {
    const h = Buffer.alloc(10);
    h[0] = 0x80 | opcode;
    h[1] = 127;
    h.writeUInt32BE(n, 6);
    return Buffer.concat([h, payload]);
  }
  return Buffer.concat([head, payload]);
}

describe('FrameReader', () => {
  it('parses frames of every length form split at any byte', () => {
    const payloads = [Buffer.from('a'), Buffer.alloc(300, 'b'), Buffer.alloc(70_000, 'c')];
    const stream = Buffer.concat(payloads.map((p) => serverFrame(OP_TEXT, p)));
    for (const cut of [1, 2, 3, 5, 127, 4000]) {
      const got: string[] = [];
      const reader = new FrameReader((op, buf, start, end) => got.push(`${op}:${buf.subarray(start, end).toString()}`));
      for (let i = 0; i < stream.length; i += cut) reader.push(stream.subarray(i, i + cut));
      expect(got).toEqual(payloads.map((p) => `1:${p.toString()}`));
    }
  });

  it('reads the embedded timestamp without parsing the JSON', () => {
    const body = Buffer.from(`{"type":"new_message","payload":{"content":"${stamp(1234567890123)} hi"}}`);
    expect(readStamp(body, 0, body.length)).toBe(1234567890123);
    expect(readStamp(Buffer.from('{"type":"message_status_update"}'), 0, 31)).toBe(-1);
  });

  it('masks client frames', () => {
    const f = clientFrame(OP_TEXT, Buffer.from('hello'));
    expect(f[0]).toBe(0x81);
    expect(f[1]).toBe(0x80 | 5);
    const mask = f.subarray(2, 6);
    const unmasked = Buffer.from(f.subarray(6).map((b, i) => b ^ mask[i & 3]!));
    expect(unmasked.toString()).toBe('hello');
  });
});
