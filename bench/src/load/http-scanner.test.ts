import { describe, expect, it } from 'vitest';
import { ResponseScanner } from './http-scanner.js';

const created = (body: string) => `HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const stream =
  created('{"id":"a","content":"bt:12;\\r\\n\\r\\nHTTP/1.1 500"}') +
  'HTTP/1.1 429 Too Many Requests\r\ncontent-length: 0\r\nRetry-After: 1\r\n\r\n' +
  'HTTP/1.1 204 No Content\r\nx-request-id: 1\r\n\r\n' +
  created('{"id":"b"}');
const expected = [201, 429, 204, 201];

function scan(chunks: Buffer[]): number[] {
  const seen: number[] = [];
  const s = new ResponseScanner((status) => seen.push(status));
  for (const c of chunks) s.push(c);
  return seen;
}

describe('ResponseScanner', () => {
  it('counts several responses in one chunk, a body that looks like a head included', () => {
    expect(scan([Buffer.from(stream)])).toEqual(expected);
  });

  it('gives the same answers whichever byte the stream is split at', () => {
    const bytes = Buffer.from(stream);
    for (let at = 1; at < bytes.length; at++) {
      expect(scan([bytes.subarray(0, at), bytes.subarray(at)]), `split at ${at}`).toEqual(expected);
    }
  });

  it('gives the same answers a byte at a time', () => {
    const bytes = Buffer.from(stream);
    expect(scan(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)))).toEqual(expected);
  });

  it('holds a response back until its body is complete', () => {
    const bytes = Buffer.from(created('{"id":"c"}'));
    expect(scan([bytes.subarray(0, bytes.length - 1)])).toEqual([]);
  });

  it('refuses a response it cannot delimit', () => {
    expect(() => scan([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n')])).toThrow(/without Content-Length/);
  });
});
