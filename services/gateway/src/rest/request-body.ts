import { Readable } from 'node:stream';
import type { HttpResponse } from '../transport/load-uws.js';

/**
 * The request body fed by uWS's onData, streamed without buffering it whole: uWS is paused when
 * the stream's buffer is full and resumed when the consumer reads. `onTooLarge` runs once when more
 * than `maxBytes` arrived (a chunked body that passes the limit).
 * Must be called in the request handler's synchronous part.
 */
export function requestBody(res: HttpResponse, maxBytes: number, onTooLarge: () => void) {
  let received = 0;
  let paused = false;
  let ended = false;
  const source = new Readable({
    highWaterMark: 64 * 1024,
    read() {
      if (paused && !ended) {
        paused = false;
        res.resume();
      }
    },
  });
  source.on('error', () => undefined);
  res.onData((chunk, isLast) => {
    if (ended) return;
    received += chunk.byteLength;
    if (received > maxBytes) {
      ended = true;
      source.destroy(new Error('body too large'));
      onTooLarge();
      return;
    }
    // uWS neuters the ArrayBuffer when this callback returns: copy it.
    if (chunk.byteLength > 0 && !source.push(Buffer.from(new Uint8Array(chunk).slice())) && !isLast) {
      paused = true;
      res.pause();
    }
    if (isLast) {
      ended = true;
      source.push(null);
    }
  });

  let touched = false;
  return {
    /**
     * A stream for one attempt: it pulls from the source only once the upstream starts reading it,
     * so an attempt that failed to connect leaves the body whole for the next upstream.
     */
    attempt(): Readable {
      let piping = false;
      const out: Readable = new Readable({
        read() {
          touched = true;
          if (piping) return void source.resume();
          piping = true;
          source.on('data', (c: Buffer) => {
            if (!out.push(c)) source.pause();
          });
          source.once('end', () => out.push(null));
          source.once('error', (e) => out.destroy(e));
        },
      });
      out.on('error', () => undefined);
      return out;
    },
    /** True once an upstream started reading the body: a retry elsewhere is then impossible. */
    get touched() {
      return touched;
    },
  };
}
