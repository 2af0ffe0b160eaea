const CR = 0x0d;
const LF = 0x0a;
/** `content-length:` in lower case, matched case-insensitively byte by byte. */
const CONTENT_LENGTH = Buffer.from('content-length:');

/**
 * Counts HTTP/1.1 responses in a keep-alive byte stream without parsing them: the status from the
 * status line, the body skipped by its Content-Length. Chunks may split a response anywhere and
 * hold several responses. A response without Content-Length (chunked, or close-delimited) is not
 * something the servers it reads send to a POST: it throws, and the caller drops the connection.
 */
export class ResponseScanner {
  /** Bytes of the head seen so far (the head is small: kept until its blank line). */
  private head: number[] = [];
  private bodyLeft = 0;
  private status = 0;

  constructor(private readonly onResponse: (status: number) => void) {}

  push(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, n - i);
        this.bodyLeft -= take;
        i += take;
        if (this.bodyLeft === 0) this.onResponse(this.status);
        continue;
      }
      const b = chunk[i++]!;
      this.head.push(b);
      const h = this.head;
      const len = h.length;
      if (b === LF && len >= 4 && h[len - 2] === CR && h[len - 3] === LF && h[len - 4] === CR) this.endOfHead();
    }
  }

  private endOfHead(): void {
    const h = this.head;
    this.head = [];
    // `HTTP/1.1 201 Created`: the three digits after the first space.
    this.status = (h[9]! - 48) * 100 + (h[10]! - 48) * 10 + (h[11]! - 48);
    const length = contentLength(h);
    if (length < 0) {
      if (this.status === 204 || this.status === 304) return this.onResponse(this.status);
      throw new Error(`response ${this.status} without Content-Length`);
    }
    this.bodyLeft = length;
    if (length === 0) this.onResponse(this.status);
  }
}

/** The Content-Length of a response head, -1 when there is none. */
function contentLength(h: number[]): number {
  const m = CONTENT_LENGTH.length;
  for (let i = 0; i + m < h.length; i++) {
    // Header names start a line.
    if (h[i - 1] !== LF) continue;
    let j = 0;
    while (j < m && (h[i + j]! | 0x20) === CONTENT_LENGTH[j]!) j++;
    if (j < m) continue;
    let k = i + m;
    while (h[k] === 0x20) k++;
    let v = 0;
    for (; h[k]! >= 48 && h[k]! <= 57; k++) v = v * 10 + (h[k]! - 48);
    return v;
  }
  return -1;
}
