import type { Agent } from 'undici';
import type { Logger } from 'pino';
import { limits } from '@chatroulette/contracts';
import type { GatewayMetrics } from '../ops/metrics.js';
import { readinessAnswer, type ReadinessCheck } from '../ops/readiness.js';
import type { HttpRequest, HttpResponse } from '../transport/load-uws.js';
import { replyJson } from '../transport/http-reply.js';
import { forwardToUpstream } from './forward.js';
import { droppedHeaders } from './hop-headers.js';
import { requestBody } from './request-body.js';
import { requestIdFor } from './request-id.js';
import type { StreamState } from './response-stream.js';
import { methodLabel, routeLabel } from './route-label.js';
import { routeFor, type Upstream } from './route-table.js';
import type { UpstreamPool } from './upstream-pool.js';

export interface ProxyDeps {
  pools: Record<Upstream, UpstreamPool>;
  agent: Agent;
  timeoutMs: number;
  log: Logger;
  readiness: ReadinessCheck;
  metrics: GatewayMetrics;
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
    if (path === '/readyz' && (method === 'GET' || method === 'HEAD')) return readyz(res, state);
    if (path === '/api/v1/ws') {
      return replyJson(res, state, 426, { error: 'This path takes a WebSocket upgrade', code: 'bad_request' }, { headers: { Upgrade: 'websocket' } });
    }
    const started = performance.now();
    const requestId = requestIdFor(headers['x-request-id']);
    const upstream = routeFor(path);
    const route = routeLabel(upstream, path);
    let observed = false;
    /** Once per request, when it is answered (a client that left first counts as 499). */
    const observe = () => {
      if (observed) return;
      observed = true;
      deps.metrics.request(route, methodLabel(method), state.status ?? 499, (performance.now() - started) / 1000);
    };
    /** The gateway's own error answer, with the request's id in a header and in the body. */
    const fail = (status: number, body: { error: string; code: string }, closeConnection = false) => {
      replyJson(res, state, status, { ...body, request_id: requestId }, { closeConnection, headers: { 'x-request-id': requestId } });
      observe();
    };
    if (!upstream) return fail(404, { error: 'Route not found', code: 'not_found' });
    const pool = deps.pools[upstream];
    if (pool.origins.length === 0) return fail(503, { error: `No ${upstream} service is configured`, code: 'unavailable' });
    const declared = headers['content-length'];
    if (declared !== undefined && !/^\d+$/.test(declared)) return fail(400, { error: 'Invalid Content-Length', code: 'bad_request' }, true);
    if (declared !== undefined && Number(declared) > maxBody) return fail(413, tooLarge(maxBody), true);

    const controller = new AbortController();
    res.onAborted(() => {
      state.aborted = true;
      controller.abort();
      state.wake?.();
    });
    const hasBody = (declared !== undefined && Number(declared) > 0) || headers['transfer-encoding'] !== undefined;
    const body = hasBody
      ? requestBody(res, maxBody, () => {
          fail(413, tooLarge(maxBody), true);
          controller.abort();
        })
      : undefined;
    const remote = Buffer.from(res.getRemoteAddressAsText()).toString();
    const target = query ? `${path}?${query}` : path;
    const forwarding = { res, state, method, target, headers: upstreamHeaders(headers, remote, requestId), body, upstream, pool, signal: controller.signal, requestId };
    void forwardToUpstream(forwarding, deps).finally(observe);
  };

  /** GET /readyz: NATS and an instance of each upstream (cached for a second; see readiness.ts). */
  function readyz(res: HttpResponse, state: StreamState): void {
    res.onAborted(() => {
      state.aborted = true;
    });
    void deps.readiness.check().then((r) => {
      const { status, body } = readinessAnswer(r);
      replyJson(res, state, status, body);
    });
  }
}

/** The request's end-to-end headers, with X-Forwarded-For, X-Forwarded-Host and X-Request-Id. */
function upstreamHeaders(headers: Record<string, string>, remote: string, requestId: string): Record<string, string> {
  const dropped = droppedHeaders(headers.connection);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (!dropped.has(k) && !refusedByUndici.has(k)) out[k] = v;
  }
  out['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${remote}` : remote;
  if (headers.host) out['x-forwarded-host'] = headers.host;
  out['x-request-id'] = requestId;
  return out;
}

function tooLarge(max: number) {
  return { error: `Body over ${max} bytes`, code: 'payload_too_large' };
}
