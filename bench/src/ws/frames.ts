import { randomBytes } from 'node:crypto';

export const OP_TEXT = 1;
export const OP_BINARY = 2;
export const OP_CLOSE = 8;
export const OP_PING = 9;
export const OP_PONG = 10;

export type FrameHandler = (opcode: number, buf: Buffer, start: number, end: number) => void;

/**
 * Parses server-to-client WebSocket frames (never masked) from a TCP byte stream: headers only,
 * the payload is handed over as a slice range of the chunk, without copying when it fits.
 */
export class FrameReader {
  private pending: Buffer | null = null;

  constructor(private readonly onFrame: FrameHandler) {}

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let off = 0;
    const len = buf.length;
    while (len - off >= 2) {
      const b0 = buf[off]!;
      let plen = buf[off + 1]! & 0x7f;
      let hdr = 2;
      if (plen === 126) {
        if (len - off < 4) break;
        plen = buf.readUInt16BE(off + 2);
        hdr = 4;
      } else if (plen === 127) {
        if (len - off < 10) break;
        plen = buf.readUInt32BE(off + 2) * 2 ** 32 + buf.readUInt32BE(off + 6);
        hdr = 10;
      }
      if (len - off < hdr + plen) break;
      this.onFrame(b0 & 0x0f, buf, off + hdr, off + hdr + plen);
      off += hdr + plen;
    }
    if (off < len) this.pending = off === 0 ? buf : buf.subarray(off);
  }
}

/** A masked client frame, as RFC 6455 requires of clients. */
export function clientFrame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const hdr = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(hdr + 4 + n);
  out[0] = 0x80 | opcode;
  if (hdr === 2) out[1] = 0x80 | n;
  else if (hdr === 4) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeUInt32BE(0, 2);
    out.writeUInt32BE(n, 6);
  }
  const mask = randomBytes(4);
  mask.copy(out, hdr);
  for (let i = 0; i < n; i++) out[hdr + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return out;
}

const MARK = Buffer.from('bt:');

/**
 * Reads the send timestamp (`bt:<microseconds>;`) embedded in a frame's payload, without parsing
 * the JSON; -1 when the frame carries none.
 */
export function readStamp(buf: Buffer, start: number, end: number): number {
  const at = buf.indexOf(MARK, start);
  if (at < 0 || at >= end) return -1;
  let v = 0;
  for (let i = at + 3; i < end; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  return v;
}

export function stamp(us: number): string {
  return `bt:${us};`;
}
