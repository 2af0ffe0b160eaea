import type { Readable } from 'node:stream';
import type { HttpResponse } from '../transport/load-uws.js';
import { writeHead, type ResponseState } from '../transport/http-reply.js';
import { uwsOwnResponseHeaders, droppedHeaders } from './hop-headers.js';
import { isCorsHeader } from './cors.js';

export interface StreamState extends ResponseState {
  /** Wakes a wait for onWritable when the response is aborted. */
  wake?: () => void;
}

export interface UpstreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

/**
 * Writes an upstream response to a uWS response with backpressure: each write is corked, and when
 * uWS cannot take more the upstream body is not read until onWritable says the socket drained.
 */
export async function streamResponse(res: HttpResponse, state: StreamState, method: string, up: UpstreamResponse, requestId: string) {
  const length = up.headers['content-length'];
  const total = typeof length === 'string' && /^\d+$/.test(length) ? Number(length) : undefined;
  const noBody = method === 'HEAD' || up.statusCode === 204 || up.statusCode === 304;
  const dropped = droppedHeaders(typeof up.headers.connection === 'string' ? up.headers.connection : undefined);

  if (state.aborted) return void up.body.destroy();
  res.cork(() => {
    writeHead(res, state, up.statusCode);
    for (const [name, value] of Object.entries(up.headers)) {
      // CORS is the gateway's alone: a service's own Access-Control-* would contradict writeHead's.
      if (value === undefined || dropped.has(name) || uwsOwnResponseHeaders.has(name) || name === 'x-request-id' || isCorsHeader(name)) continue;
      for (const v of Array.isArray(value) ? value : [value]) res.writeHeader(name, v);
    }
    res.writeHeader('x-request-id', requestId);
    if (noBody) {
      state.done = true;
      res.endWithoutBody(method === 'HEAD' ? total : undefined);
    }
  });
  if (noBody) return void up.body.resume();

  try {
    for await (const chunk of up.body as AsyncIterable<Buffer>) {
      if (state.aborted) break;
      // Once the answer is complete the body ends by itself: leaving the loop would destroy it, and
      // undici then makes an AbortError (with its stack) for every proxied request.
      if (state.done) continue;
      if (total !== undefined) await tryEndChunk(res, state, chunk, total);
      else await writeChunk(res, state, chunk);
    }
  } catch {
    // The upstream broke off mid-body: the client cannot get a whole answer, close its connection.
    if (!state.aborted && !state.done) {
      state.done = true;
      res.close();
    }
    return;
  }
  if (state.aborted) return void up.body.destroy();
  if (!state.done) {
    state.done = true;
    // A body shorter than its Content-Length cannot be completed: close instead of hanging.
    if (total !== undefined) res.close();
    else res.cork(() => res.end());
  }
}

async function writeChunk(res: HttpResponse, state: StreamState, chunk: Buffer) {
  let ok = true;
  res.cork(() => {
    ok = res.write(chunk);
  });
  // write() keeps what it could not send; wait until uWS drained it before reading more.
  if (!ok) {
    await new Promise<void>((resolve) => {
      state.wake = resolve;
      res.onWritable(() => {
        resolve();
        return true;
      });
    });
  }
}

async function tryEndChunk(res: HttpResponse, state: StreamState, chunk: Buffer, total: number) {
  const start = res.getWriteOffset();
  let ok = false;
  let done = false;
  res.cork(() => {
    [ok, done] = res.tryEnd(chunk, total);
  });
  if (done) state.done = true;
  if (ok || done) return;
  // tryEnd took only part of the chunk: send the rest from where the socket got to.
  await new Promise<void>((resolve) => {
    state.wake = resolve;
    res.onWritable((offset) => {
      if (state.aborted) {
        resolve();
        return true;
      }
      const [ok2, done2] = res.tryEnd(chunk.subarray(offset - start), total);
      if (done2) state.done = true;
      if (ok2 || done2) resolve();
      return ok2;
    });
  });
}
