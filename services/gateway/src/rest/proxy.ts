import type { Agent } from 'undici';
import type { Logger } from 'pino';
import type { Budget } from '@chatroulette/budgets';
import { gatewayPaths } from '@chatroulette/contracts';
import { retryAfterSeconds } from '@chatroulette/http';
import { addressBucket, type Networks } from '@chatroulette/http/ip';
import type { ApiDocs } from '../docs/api-docs.js';
import type { GatewayMetrics } from '../ops/metrics.js';
import { readinessAnswer, type ReadinessCheck } from '../ops/readiness.js';
import type { HttpRequest, HttpResponse } from '../transport/load-uws.js';
import { clientAddress, peerAddress } from '../transport/client-address.js';
import { replyBytes, replyEmpty, replyJson } from '../transport/http-reply.js';
import { KeyedSlots } from '../transport/keyed-slots.js';
import { leaveUws } from '../transport/outside-uws.js';
import type { OriginAllowlist } from '../transport/origin-check.js';
import type { DemoSite } from '../site/demo-site.js';
import { bodyPolicyFor } from './body-policy.js';
import { corsFor } from './cors.js';
import { forwardToUpstream } from './forward.js';
import { droppedHeaders } from './hop-headers.js';
import { BodyNotReceived, bufferedBody, streamedBody, type ForwardBody } from './request-body.js';
import { requestIdFor } from './request-id.js';
import type { StreamState } from './response-stream.js';
import { methodLabel, routeLabel } from './route-label.js';
import type { RestSends } from './rest-sends.js';
import { routeFor, type Upstream } from './route-table.js';
import type { UpstreamPool } from './upstream-pool.js';

export interface ProxyDeps {
  pools: Record<Upstream, UpstreamPool>;
  agent: Agent;
  timeoutMs: number;
  log: Logger;
  readiness: ReadinessCheck;
  metrics: GatewayMetrics;
  /** Proxies whose X-Forwarded-For is believed. */
  trustedProxies: Networks;
  /** REST requests one address may have in flight (0: no cap). */
  maxRequestsPerAddress: number;
  /** How long a buffered body may take to arrive whole (408 after). */
  bodyTimeoutMs: number;
  /** The per-address rate budget, shared by every gateway (the probes are never budgeted). */
  addressBudget?: Budget;
  /** Browser origins allowed (CORS); null allows all. */
  allowedOrigins: OriginAllowlist;
  /** The API's documents and their page, answered here like the probes (no budget, no upstream). */
  docs: ApiDocs;
  /** The demo app at / and its files, answered here like the documents. */
  site: DemoSite;
  /** Message sends, asked of the messages service over NATS instead of through its HTTP. */
  sends: RestSends;
}

/** undici refuses these request headers itself; the rest of the end-to-end headers pass through. */
const refusedByUndici = new Set(['expect']);

/**
 * The uWS handler for every REST path: CORS (a preflight is answered here), route, count the request
 * against its address's cap, take the body as the route's policy says (buffered whole by default),
 * then send it to the owner and stream the answer back.
 */
export function createRestHandler(deps: ProxyDeps) {
  const inFlight = new KeyedSlots(deps.maxRequestsPerAddress);
  return (res: HttpResponse, req: HttpRequest): void => {
    // Everything needed from req is copied now: it is gone after this synchronous part.
    const method = req.getMethod().toUpperCase();
    const path = req.getUrl();
    const query = req.getQuery();
    const headers: Record<string, string> = {};
    req.forEach((k, v) => {
      headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
    });
    // Before anything else, so every answer below (the gateway's own and the upstream's) carries CORS.
    const cors = corsFor(deps.allowedOrigins, method, headers);
    const state: StreamState = { aborted: false, done: false, headers: cors.headers };
    if (cors.verdict === 'preflight') return replyEmpty(res, state, 204);
    if (cors.verdict === 'refused') return replyJson(res, state, 403, { error: 'Origin not allowed', code: 'forbidden' });
    if (path === gatewayPaths.health && (method === 'GET' || method === 'HEAD')) {
      return replyJson(res, state, 200, { status: 'ok' });
    }
    if (path === gatewayPaths.ready && (method === 'GET' || method === 'HEAD')) return readyz(deps.readiness, res, state);
    const doc = deps.docs.answer(method, path, headers['if-none-match']);
    if (doc) return replyBytes(res, state, doc.status, doc.headers, doc.body, { head: method === 'HEAD' });
    const page = deps.site.answer(method, path, headers['if-none-match']);
    if (page) return replyBytes(res, state, page.status, page.headers, page.body, { head: method === 'HEAD' });
    if (path === gatewayPaths.socket) {
      return replyJson(res, state, 426, { error: 'This path takes a WebSocket upgrade', code: 'bad_request' }, { headers: { Upgrade: 'websocket' } });
    }
    const started = performance.now();
    const requestId = requestIdFor(headers['x-request-id']);
    const upstream = routeFor(path);
    const route = routeLabel(upstream, path);
    const client = clientAddress(peerAddress(res), headers['x-forwarded-for'], deps.trustedProxies);
    let slot: string | null = null;
    let finished = false;
    /** Once per request, when it is answered (a client that left first counts as 499): metrics, and its slot back. */
    const finish = () => {
      if (finished) return;
      finished = true;
      if (slot !== null) inFlight.give(slot);
      deps.metrics.request(route, methodLabel(method), state.status ?? 499, (performance.now() - started) / 1000);
    };
    /** The gateway's own error answer, with the request's id in a header and in the body. */
    const fail = (status: number, body: { error: string; code: string }, opts: { closeConnection?: boolean; headers?: Record<string, string> } = {}) => {
      replyJson(res, state, status, { ...body, request_id: requestId }, { closeConnection: opts.closeConnection ?? false, headers: { ...opts.headers, 'x-request-id': requestId } });
      finish();
    };
    if (!upstream) return fail(404, { error: 'Route not found', code: 'not_found' });
    const pool = deps.pools[upstream];
    if (pool.origins.length === 0) return fail(503, { error: `No ${upstream} service is configured`, code: 'unavailable' });
    const policy = bodyPolicyFor(upstream, path);
    const declared = headers['content-length'];
    if (declared !== undefined && !/^\d+$/.test(declared)) return fail(400, { error: 'Invalid Content-Length', code: 'bad_request' }, { closeConnection: true });
    if (declared !== undefined && Number(declared) > policy.maxBytes) return fail(413, tooLarge(policy.maxBytes), { closeConnection: true });
    const hasBody = (declared !== undefined && Number(declared) > 0) || headers['transfer-encoding'] !== undefined;
    const bucket = addressBucket(client);
    if (!inFlight.tryTake(bucket)) {
      // The body, if any, is not read: the connection closes with the answer.
      return fail(429, { error: 'Too many requests in flight from this address', code: 'too_many_requests' }, { closeConnection: hasBody, headers: { 'Retry-After': '1' } });
    }
    slot = bucket;
    const controller = new AbortController();
    res.onAborted(() => {
      state.aborted = true;
      controller.abort();
      state.wake?.();
      finish();
    });
    const target = query ? `${path}?${query}` : path;
    const send = async (body: ForwardBody | undefined) => {
      if (deps.addressBudget) {
        // The budget lives in NATS: no NATS call inside a uWS callback (see outside-uws.ts).
        await leaveUws();
        const spent = await deps.addressBudget.consume(bucket);
        if (state.aborted) return finish();
        if (!spent.ok) {
          controller.abort();
          const retryAfter = String(retryAfterSeconds(spent.retryAfterMs));
          return fail(429, { error: 'Too many requests from this address; retry later', code: 'too_many_requests' }, { closeConnection: policy.kind === 'stream' && hasBody, headers: { 'Retry-After': retryAfter } });
        }
      }
      const raw = policy.kind === 'buffer' ? body?.attempt() : undefined;
      const taken = Buffer.isBuffer(raw) ? deps.sends.take(method, path, headers, raw) : null;
      if (taken) return deps.sends.answer(res, state, taken, headers.authorization, requestId).finally(finish);
      const forwarding = { res, state, method, target, headers: upstreamHeaders(headers, client, requestId), body, upstream, pool, signal: controller.signal, requestId };
      return forwardToUpstream(forwarding, deps).finally(finish);
    };
    if (!hasBody) return void send(undefined);
    if (policy.kind === 'stream') {
      const body = streamedBody(res, policy.maxBytes, () => {
        fail(413, tooLarge(policy.maxBytes), { closeConnection: true });
        controller.abort();
      });
      return void send(body);
    }
    bufferedBody(res, { maxBytes: policy.maxBytes, timeoutMs: deps.bodyTimeoutMs, aborted: controller.signal }).then(send, (e: unknown) => {
      const why = e instanceof BodyNotReceived ? e.why : 'aborted';
      if (why === 'too_large') fail(413, tooLarge(policy.maxBytes), { closeConnection: true });
      else if (why === 'timeout') fail(408, { error: `The request body did not arrive within ${deps.bodyTimeoutMs} ms`, code: 'timeout' }, { closeConnection: true });
      else finish();
    });
  };
}

/** GET /readyz: NATS and an instance of each upstream (cached for a second; see readiness.ts). */
function readyz(readiness: ReadinessCheck, res: HttpResponse, state: StreamState): void {
  res.onAborted(() => {
    state.aborted = true;
  });
  void readiness.check().then((r) => {
    const { status, body } = readinessAnswer(r);
    replyJson(res, state, status, body);
  });
}

/**
 * The request's end-to-end headers, with X-Forwarded-Host, X-Request-Id and one X-Forwarded-For:
 * the client's address as clientAddress resolved it (whatever the client wrote is not passed on),
 * so a service behind the gateway can believe the header's last (only) hop.
 */
function upstreamHeaders(headers: Record<string, string>, client: string, requestId: string): Record<string, string> {
  const dropped = droppedHeaders(headers.connection);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (!dropped.has(k) && !refusedByUndici.has(k)) out[k] = v;
  }
  out['x-forwarded-for'] = client;
  if (headers.host) out['x-forwarded-host'] = headers.host;
  out['x-request-id'] = requestId;
  return out;
}

function tooLarge(max: number) {
  return { error: `Body over ${max} bytes`, code: 'payload_too_large' };
}
