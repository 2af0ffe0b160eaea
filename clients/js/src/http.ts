import type { ErrorBody } from '@chatroulette/contracts';
import { ApiError, codeForStatus, ConnectionError, parseRetryAfter } from './errors.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpDeps {
  /** The gateway's origin, e.g. `http://localhost:8080` (no trailing `/api/v1`). */
  baseUrl: string;
  fetch: FetchLike;
  /** The bearer token of a request, or null for none. */
  token: () => Promise<string | null>;
  /** A request without an answer within this is a ConnectionError (0: no limit). */
  timeoutMs: number;
}

export interface RequestOptions {
  body?: unknown;
  /** A multipart body (uploads); sent as is. */
  form?: FormData;
  query?: Record<string, string | number | undefined>;
  /** Default true: send the bearer token. */
  auth?: boolean;
  /** Use this token instead of the session's (refresh and logout act on a given token). */
  token?: string;
  signal?: AbortSignal;
}

export type Http = <T>(method: string, path: string, opts?: RequestOptions) => Promise<T>;

/**
 * One REST call: JSON in and out, the bearer token, and every failure as a typed error: an answer
 * with a status of 400 or more is an ApiError (status, code, message, Retry-After), no answer at all
 * a ConnectionError. A 204 resolves with undefined.
 */
export function createHttp(deps: HttpDeps): Http {
  return async <T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = opts.token ?? (opts.auth === false ? null : await deps.token());
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | FormData | undefined;
    if (opts.form) body = opts.form;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const signals = [opts.signal, deps.timeoutMs > 0 ? AbortSignal.timeout(deps.timeoutMs) : undefined].filter((s): s is AbortSignal => s !== undefined);
    let res: Response;
    let text: string;
    try {
      res = await deps.fetch(urlOf(deps.baseUrl, path, opts.query), { method, headers, body, signal: anySignal(signals) });
      text = await res.text();
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      throw new ConnectionError(`${method} ${path}: ${(e as Error).message ?? 'no answer'}`, { cause: e });
    }
    const parsed = parseJson(text);
    if (res.status >= 400) throw errorOf(res, parsed);
    return parsed as T;
  };
}

function errorOf(res: Response, parsed: unknown): ApiError {
  const body = typeof parsed === 'object' && parsed !== null ? (parsed as ErrorBody) : null;
  const message = typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`;
  return new ApiError(res.status, typeof body?.code === 'string' ? body.code : codeForStatus(res.status), message, {
    retryAfter: parseRetryAfter(res.headers.get('retry-after')),
    requestId: res.headers.get('x-request-id') ?? body?.request_id ?? null,
    body,
  });
}

export function urlOf(baseUrl: string, path: string, query?: Record<string, string | number | undefined>): string {
  const url = `${baseUrl.replace(/\/+$/, '')}${path}`;
  const params = Object.entries(query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined);
  return params.length === 0 ? url : `${url}?${new URLSearchParams(params.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function anySignal(signals: AbortSignal[]): AbortSignal | undefined {
  if (signals.length <= 1) return signals[0];
  const any = (AbortSignal as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (any) return any(signals);
  const controller = new AbortController();
  for (const s of signals) s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  return controller.signal;
}

/** A path segment from an id: encoded, so an odd id cannot change the route. */
export const seg = (id: string) => encodeURIComponent(id);
