/** The bytes of a file to send: `end` inclusive, as Content-Range writes it. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * A single-range `Range` header against a file of `size` bytes: null to send the whole file (no
 * header, several ranges, another unit or a header that does not parse, which RFC 9110 lets a server
 * ignore), 'unsatisfiable' (416) for a range past the end, else the range, clamped to the file.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (header === undefined) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    // A suffix: the last N bytes.
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
