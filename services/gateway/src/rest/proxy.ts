import type { Agent } from 'undici';
import type { Logger } from 'pino';
import { limits } from '@chatroulette/contracts';
import { redactUrl } from '@chatroulette/logger';
import type { HttpRequest, HttpResponse } from '../transport/load-uws.js';
import { replyJson } from '../transport/http-reply.js';
import { droppedHeaders } from './hop-headers.js';
import { requestBody } from './request-body.js';
import { streamResponse, type StreamState } from './response-stream.js';
import { routeFor, type Upstream } from './route-table.js';
import type { UpstreamPool } from './upstream-pool.js';

export interface ProxyDeps {
  pools: Record<Upstream, UpstreamPool>;
  agent: Agent;
  timeoutMs: number;
  log: Logger;
  maxBodyBytes?: number;
}

/** undici refuses these request headers itself; the rest of the end-to-end headers pass through. */
const refusedByUndici = new Set(['expect']);

/** The uWS handler for every REST path: route, then stream the request to the owner and the answer back. */
export function createRestHandler(deps: ProxyDeps) {
  const maxBody = deps.maxBodyBytes ?? limits.maxBodyBytes;

  return (res: HttpResponse, req: HttpRequest): void => {
    // Everything needed from req is copied now: it is gone after this synchronous part.
    const method = req.getMethod().toUpperCase();
    const path = req.getUrl();
    const query = req.getQuery();
    const headers: Record<string, string> = {};
    req.forEach((k, v) => {
      headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
    });
    const state: StreamState = { aborted: false, done: false };

    if (path === '/healthz' && (method === 'GET' || method === 'HEAD')) {
      return replyJson(res, state, 200, { status: 'ok' });
    }
    if (path === '/api/v1/ws') {
      return replyJson(res, state, 426, { error: 'This path takes a WebSocket upgrade', code: 'bad_request' }, { headers: { Upgrade: 'websocket' } });
    }
    const upstream = routeFor(path);
    if (!upstream) return replyJson(res, state, 404, { error: 'Route not found', code: 'not_found' });
    const pool = deps.pools[upstream];
    if (pool.origins.length === 0) {
      return replyJson(res, state, 503, { error: `No ${upstream} service is configured`, code: 'unavailable' });
    }
    const declared = headers['content-length'];
    if (declared !== undefined && !/^\d+$/.test(declared)) {
      return replyJson(res, state, 400, { error: 'Invalid Content-Length', code: 'bad_request' }, { closeConnection: true });
    }
    if (declared !== undefined && Number(declared) > maxBody) {
      return replyJson(res, state, 413, tooLarge(maxBody), { closeConnection: true });
    }

    const controller = new AbortController();
    res.onAborted(() => {
      state.aborted = true;
      controller.abort();
      state.wake?.();
    });
    const hasBody = (declared !== undefined && Number(declared) > 0) || headers['transfer-encoding'] !== undefined;
    const body = hasBody
      ? requestBody(res, maxBody, () => {
          replyJson(res, state, 413, tooLarge(maxBody), { closeConnection: true });
          controller.abort();
        })
      : undefined;

    const dropped = droppedHeaders(headers.connection);
    const outHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) {
      if (!dropped.has(k) && !refusedByUndici.has(k)) outHeaders[k] = v;
    }
    const remote = Buffer.from(res.getRemoteAddressAsText()).toString();
    outHeaders['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${remote}` : remote;
    if (headers.host) outHeaders['x-forwarded-host'] = headers.host;

    const target = query ? `${path}?${query}` : path;
    void forward();

    async function forward() {
      const started = Date.now();
      const origins = pool.order();
      for (let i = 0; i < origins.length; i++) {
        const origin = origins[i]!;
        try {
          const up = await deps.agent.request({
            origin,
            path: target,
            method: method as 'GET',
            headers: outHeaders,
            body: body ? body.attempt() : null,
            headersTimeout: deps.timeoutMs,
            bodyTimeout: deps.timeoutMs,
            signal: controller.signal,
          });
          pool.markUp(origin);
          const line = { method, path: redactUrl(target), upstream, origin, status: up.statusCode, ms: Date.now() - started };
          if (up.statusCode >= 500) deps.log.warn(line, 'upstream answered 5xx');
          else deps.log.debug(line, 'proxied');
          await streamResponse(res, state, method, up);
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
              ? { error: `The ${upstream} service did not answer in time`, code: 'timeout' }
              : { error: `The ${upstream} service is unavailable`, code: 'bad_gateway' };
          deps.log.warn(
            { method, path: redactUrl(target), upstream, origin, status, err: errorCode(e), ms: Date.now() - started },
            'upstream failed',
          );
          replyJson(res, state, status, answer);
          return;
        }
      }
    }
  };
}

function tooLarge(max: number) {
  return { error: `Body over ${max} bytes`, code: 'payload_too_large' };
}

function errorCode(e: unknown): string | undefined {
  const err = e as { code?: string; cause?: { code?: string } } | null;
  return err?.code ?? err?.cause?.code;
}

export function classify(e: unknown): 'refused' | 'timeout' | 'broken' {
  const code = errorCode(e);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return 'timeout';
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') return 'refused';
  return 'broken';
}
