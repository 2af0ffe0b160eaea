import type { Agent } from 'undici';
import type { Logger } from 'pino';
import { limits } from '@chatroulette/contracts';
import type { HttpRequest, HttpResponse } from '../transport/load-uws.js';
import { replyJson } from '../transport/http-reply.js';
import { forwardToUpstream } from './forward.js';
import { droppedHeaders } from './hop-headers.js';
import { requestBody } from './request-body.js';
import type { StreamState } from './response-stream.js';
import { routeFor, type Upstream } from './route-table.js';
import type { UpstreamPool } from './upstream-pool.js';

export interface ProxyDeps {
  pools: Record<Upstream, UpstreamPool>;
  agent: Agent;
  timeoutMs: number;
  log: Logger;
}

/** undici refuses these request headers itself; the rest of the end-to-end headers pass through. */
const refusedByUndici = new Set(['expect']);

/** The uWS handler for every REST path: route, then stream the request to the owner and the answer back. */
export function createRestHandler(deps: ProxyDeps) {
  const maxBody = limits.maxBodyBytes;

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
    const remote = Buffer.from(res.getRemoteAddressAsText()).toString();
    const target = query ? `${path}?${query}` : path;
    const forwarding = { res, state, method, target, headers: upstreamHeaders(headers, remote), body, upstream, pool, signal: controller.signal };
    void forwardToUpstream(forwarding, deps);
  };
}

/** The request's end-to-end headers, with X-Forwarded-For and X-Forwarded-Host. */
function upstreamHeaders(headers: Record<string, string>, remote: string): Record<string, string> {
  const dropped = droppedHeaders(headers.connection);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (!dropped.has(k) && !refusedByUndici.has(k)) out[k] = v;
  }
  out['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${remote}` : remote;
  if (headers.host) out['x-forwarded-host'] = headers.host;
  return out;
}

function tooLarge(max: number) {
  return { error: `Body over ${max} bytes`, code: 'payload_too_large' };
}
