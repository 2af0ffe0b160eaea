import { STATUS_CODES } from 'node:http';
import type { HttpResponse } from './load-uws.js';

/** Per-response state: uWS forbids touching a response after onAborted or after it ended. */
export interface ResponseState {
  aborted: boolean;
  done: boolean;
  /** The status answered, once it is written (for the request metrics). */
  status?: number;
  /**
   * Headers every answer to this request carries, whoever writes it (the CORS headers, decided once
   * when the request arrives): writeHead puts them on the gateway's own answers and upstream ones alike.
   */
  headers?: readonly (readonly [string, string])[];
}

export function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Unknown'}`;
}

/**
 * The start of every answer: the status line, then the request's own headers (`state.headers`). Call
 * it inside res.cork(), before any other header: uWS writes a header given before the status line
 * under a 200 of its own.
 */
export function writeHead(res: HttpResponse, state: ResponseState, status: number): void {
  state.status = status;
  res.writeStatus(statusLine(status));
  for (const [name, value] of state.headers ?? []) res.writeHeader(name, value);
}

/** Sends an answer without a body (a 204) unless the response was aborted or already answered. */
export function replyEmpty(res: HttpResponse, state: ResponseState, status: number): void {
  if (state.aborted || state.done) return;
  state.done = true;
  res.cork(() => {
    writeHead(res, state, status);
    res.endWithoutBody();
  });
}

/**
 * Sends a JSON answer unless the response was aborted or already answered. Corked, so it is safe
 * (and one syscall) outside the request handler's synchronous part.
 */
export function replyJson(
  res: HttpResponse,
  state: ResponseState,
  status: number,
  body: unknown,
  opts: { closeConnection?: boolean; headers?: Record<string, string> } = {},
): void {
  if (state.aborted || state.done) return;
  state.done = true;
  res.cork(() => {
    writeHead(res, state, status);
    res.writeHeader('Content-Type', 'application/json; charset=utf-8');
    for (const [k, v] of Object.entries(opts.headers ?? {})) res.writeHeader(k, v);
    res.end(JSON.stringify(body), opts.closeConnection ?? false);
  });
}

/**
 * Sends bytes with their headers unless the response was aborted or already answered. A 304 and a
 * HEAD carry no body (a HEAD reports the length the GET would have: written as a header, because
 * this uWS build's endWithoutBody(length) inside the request handler leaves the response unfinished
 * and aborts the process).
 */
export function replyBytes(res: HttpResponse, state: ResponseState, status: number, headers: Record<string, string>, body: Uint8Array, opts: { head: boolean }): void {
  if (state.aborted || state.done) return;
  state.done = true;
  res.cork(() => {
    writeHead(res, state, status);
    for (const [k, v] of Object.entries(headers)) res.writeHeader(k, v);
    if (status === 304) res.endWithoutBody(0);
    else if (opts.head) res.writeHeader('Content-Length', String(body.byteLength)).endWithoutBody();
    else res.end(body);
  });
}
