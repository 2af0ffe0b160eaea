import type { Budget } from '@chatroulette/budgets';
import { retryAfterSeconds } from '@chatroulette/http';
import type { HttpRequest, HttpResponse } from './load-uws.js';
import { addressKey } from './client-address.js';
import { replyJson, type ResponseState } from './http-reply.js';
import { leaveUws } from './outside-uws.js';

type Handler<Rest extends unknown[]> = (res: HttpResponse, req: HttpRequest, ...rest: Rest) => void;

export interface AddressBudgetOptions {
  /** Paths answered without spending (the probes). */
  exempt?: (path: string) => boolean;
  /** The request may carry a body: chunks that arrive while the budget is asked are kept for the handler. */
  body?: boolean;
}

/**
 * Puts a per-address budget in front of a uWS handler (REST or upgrade). The budget lives in NATS,
 * so the answer comes after the synchronous part, when uWS's `req` is gone: the request is copied
 * first and the handler gets the copy. Body chunks that arrive meanwhile are kept (and uWS is paused)
 * and handed to the handler's own onData. Past the budget: 429 with Retry-After.
 */
export function addressBudget<Rest extends unknown[]>(budget: Budget, handler: Handler<Rest>, opts: AddressBudgetOptions = {}): Handler<Rest> {
  return (res, req, ...rest) => {
    const url = req.getUrl();
    if (opts.exempt?.(url)) return handler(res, req, ...rest);
    const copy = copyRequest(req, url);
    const key = addressKey(Buffer.from(res.getRemoteAddressAsText()).toString());
    const state: ResponseState = { aborted: false, done: false };
    let onAborted: (() => void) | undefined;
    res.onAborted(() => {
      state.aborted = true;
      onAborted?.();
    });
    const body = opts.body ? holdBody(res) : null;

    void (async () => {
      // No NATS call inside a uWS callback (see outside-uws.ts).
      await leaveUws();
      const spent = await budget.consume(key);
      if (state.aborted) return;
      if (!spent.ok) {
        const retryAfter = String(retryAfterSeconds(spent.retryAfterMs));
        return replyJson(res, state, 429, { error: 'Too many requests from this address; retry later', code: 'too_many_requests' }, { headers: { 'Retry-After': retryAfter }, closeConnection: opts.body });
      }
      const wrapped = new Proxy(res, {
        get(target, prop) {
          if (prop === 'onAborted') return (fn: () => void) => ((onAborted = fn), wrapped);
          if (body && prop === 'onData') return (fn: DataHandler) => (body.handTo(fn), wrapped);
          if (body && prop === 'pause') return () => (body.pausedBy(true), wrapped);
          if (body && prop === 'resume') return () => (body.pausedBy(false), wrapped);
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      handler(wrapped, copy, ...rest);
      // A handler that registered no onData gets no body: let uWS read on (and discard) what is left.
      body?.release();
    })();
  };
}

type DataHandler = (chunk: ArrayBuffer, isLast: boolean) => void;

/** Keeps the body's chunks from the start (uWS paused after the first) until the handler takes them. */
function holdBody(res: HttpResponse) {
  const held: { chunk: ArrayBuffer; isLast: boolean }[] = [];
  let live: DataHandler | null = null;
  let pausedByHandler = false;
  let pausedHere = false;
  // The handler may have answered (and uWS freed the response) before its body was read: then
  // uWS throws on any call, and there is nothing left to resume.
  const resume = () => {
    try {
      res.resume();
    } catch {
      // answered already
    }
  };
  res.onData((chunk, isLast) => {
    if (live) return live(chunk, isLast);
    // uWS neuters the ArrayBuffer when this callback returns: copy it.
    held.push({ chunk: chunk.slice(0), isLast });
    if (!isLast && !pausedHere) {
      pausedHere = true;
      res.pause();
    }
  });
  return {
    handTo(fn: DataHandler) {
      // Given after the handler's synchronous part, as uWS would.
      queueMicrotask(() => {
        for (const h of held.splice(0)) fn(h.chunk, h.isLast);
        live = fn;
        if (pausedHere && !pausedByHandler) resume();
        pausedHere = false;
      });
    },
    pausedBy(paused: boolean) {
      pausedByHandler = paused;
      if (paused) res.pause();
      else if (live) resume();
    },
    release() {
      if (live) return;
      queueMicrotask(() => {
        if (live || !pausedHere) return;
        live = () => undefined;
        resume();
      });
    },
  };
}

/** What the handlers read from uWS's request, kept past the synchronous part. */
function copyRequest(req: HttpRequest, url: string): HttpRequest {
  const method = req.getMethod();
  const query = req.getQuery();
  const headers: [string, string][] = [];
  req.forEach((k, v) => void headers.push([k, v]));
  const copy = {
    getMethod: () => method,
    getCaseSensitiveMethod: () => method,
    getUrl: () => url,
    getQuery: (key?: string) => (key === undefined ? query : new URLSearchParams(query).get(key) ?? undefined),
    getHeader: (name: string) => headers.find(([k]) => k === name.toLowerCase())?.[1] ?? '',
    forEach: (fn: (k: string, v: string) => void) => headers.forEach(([k, v]) => fn(k, v)),
  };
  return copy as unknown as HttpRequest;
}
