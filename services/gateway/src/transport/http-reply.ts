import { STATUS_CODES } from 'node:http';
import type { HttpResponse } from './load-uws.js';

/** Per-response state: uWS forbids touching a response after onAborted or after it ended. */
export interface ResponseState {
  aborted: boolean;
  done: boolean;
  /** The status answered, once it is written (for the request metrics). */
  status?: number;
}

export function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Unknown'}`;
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
  state.status = status;
  res.cork(() => {
    res.writeStatus(statusLine(status)).writeHeader('Content-Type', 'application/json; charset=utf-8');
    for (const [k, v] of Object.entries(opts.headers ?? {})) res.writeHeader(k, v);
    res.end(JSON.stringify(body), opts.closeConnection ?? false);
  });
}
