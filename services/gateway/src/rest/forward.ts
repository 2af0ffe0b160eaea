import type { Agent } from 'undici';
import type { Logger } from 'pino';
import { redactUrl } from '@chatroulette/logger';
import type { HttpResponse } from '../transport/load-uws.js';
import { replyJson } from '../transport/http-reply.js';
import type { ForwardBody } from './request-body.js';
import { streamResponse, type StreamState } from './response-stream.js';
import type { Upstream } from './route-table.js';
import type { UpstreamPool } from './upstream-pool.js';

/** One REST request on its way to the service that owns it. */
export interface Forwarding {
  res: HttpResponse;
  state: StreamState;
  method: string;
  /** Path and query. */
  target: string;
  headers: Record<string, string>;
  body: ForwardBody | undefined;
  upstream: Upstream;
  pool: UpstreamPool;
  signal: AbortSignal;
  /** Sent upstream as x-request-id and returned on the answer. */
  requestId: string;
}

/**
 * Sends the request to the upstream's origins in the pool's order: a refused connection marks the
 * origin down and tries the next (while the body can still be sent again: always for a buffered
 * body); a timeout is 504, any
 * other failure 502. The answer is streamed back as it comes.
 */
export async function forwardToUpstream(f: Forwarding, deps: { agent: Agent; timeoutMs: number; log: Logger }): Promise<void> {
  const { res, state, method, target, upstream, pool, body, requestId } = f;
  const started = Date.now();
  const origins = pool.order();
  for (let i = 0; i < origins.length; i++) {
    const origin = origins[i]!;
    try {
      const up = await deps.agent.request({
        origin,
        path: target,
        method: method as 'GET',
        headers: f.headers,
        body: body ? body.attempt() : null,
        headersTimeout: deps.timeoutMs,
        bodyTimeout: deps.timeoutMs,
        signal: f.signal,
      });
      pool.markUp(origin);
      const line = { request_id: requestId, method, path: redactUrl(target), upstream, origin, status: up.statusCode, ms: Date.now() - started };
      if (up.statusCode >= 500) deps.log.warn(line, 'upstream answered 5xx');
      else deps.log.debug(line, 'proxied');
      await streamResponse(res, state, method, up, requestId);
      return;
    } catch (e) {
      if (state.aborted || state.done) return;
      const kind = classify(e);
      if (kind === 'refused') {
        pool.markDown(origin);
        if (i < origins.length - 1 && !body?.touched) continue;
      }
      const status = kind === 'timeout' ? 504 : 502;
      const answer =
        kind === 'timeout'
          ? { error: `The ${upstream} service did not answer in time`, code: 'timeout', request_id: requestId }
          : { error: `The ${upstream} service is unavailable`, code: 'bad_gateway', request_id: requestId };
      deps.log.warn({ request_id: requestId, method, path: redactUrl(target), upstream, origin, status, err: errorCode(e), ms: Date.now() - started }, 'upstream failed');
      replyJson(res, state, status, answer, { headers: { 'x-request-id': requestId } });
      return;
    }
  }
}

function errorCode(e: unknown): string | undefined {
  const err = e as { code?: string; cause?: { code?: string } } | null;
  return err?.code ?? err?.cause?.code;
}

function classify(e: unknown): 'refused' | 'timeout' | 'broken' {
  const code = errorCode(e);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return 'timeout';
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') return 'refused';
  return 'broken';
}
