import { Readable } from 'node:stream';
import type { HttpResponse } from '../transport/load-uws.js';

/** A request body as forward.ts sends it: once per attempt at an origin. */
export interface ForwardBody {
  attempt(): Readable | Buffer;
  /** True once an upstream started reading the body and it cannot be sent again elsewhere. */
  readonly touched: boolean;
}

/** Why a buffered body did not arrive whole. */
export class BodyNotReceived extends Error {
  constructor(readonly why: 'too_large' | 'timeout' | 'aborted') {
    super(`request body ${why}`);
  }
}

/**
 * The whole request body, read from uWS's onData before anything goes upstream: rejects with
 * BodyNotReceived when more than `maxBytes` arrive, when it is not whole within `timeoutMs` (a
 * trickle), or when `aborted` fires. Must be called in the request handler's synchronous part.
 */
export function bufferedBody(res: HttpResponse, opts: { maxBytes: number; timeoutMs: number; aborted: AbortSignal }): Promise<ForwardBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (outcome: BodyNotReceived | Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.aborted.removeEventListener('abort', onAbort);
      if (outcome instanceof BodyNotReceived) return reject(outcome);
      resolve({ attempt: () => outcome, touched: false });
    };
    const timer = setTimeout(() => settle(new BodyNotReceived('timeout')), opts.timeoutMs);
    const onAbort = () => settle(new BodyNotReceived('aborted'));
    opts.aborted.addEventListener('abort', onAbort);
    res.onData((chunk, isLast) => {
      if (settled) return;
      received += chunk.byteLength;
      if (received > opts.maxBytes) return settle(new BodyNotReceived('too_large'));
      // uWS neuters the ArrayBuffer when this callback returns: copy it.
      if (chunk.byteLength > 0) chunks.push(Buffer.from(chunk.slice(0)));
      if (isLast) settle(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    });
  });
}

/**
 * The request body fed by uWS's onData for a `stream` body policy, without buffering it whole: uWS
 * is paused when the stream's buffer is full and resumed when the consumer reads. `onTooLarge` runs
 * once when more than `maxBytes` arrived (a chunked body that passes the limit).
 * Must be called in the request handler's synchronous part.
 */
export function streamedBody(res: HttpResponse, maxBytes: number, onTooLarge: () => void): ForwardBody {
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
