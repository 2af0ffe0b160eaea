import type { ErrorBody } from '@chatroulette/contracts';
import type { ErrorCode } from '@chatroulette/errors';

/** The backend's error codes (`code` of an error answer or frame); others may come (e.g. `suspended`). */
export type ApiErrorCode = ErrorCode | (string & {});

/**
 * The backend answered with an error: an HTTP status of a REST route, or the `status` of an error
 * frame answering a socket frame with a `ref` (the status the REST route would have answered).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  /** Seconds to wait before trying again (`Retry-After`), or null when the answer gave none. */
  readonly retryAfter: number | null;
  /** The gateway's `x-request-id` of the request, to quote in a bug report. */
  readonly requestId: string | null;
  /** The error body as it came. */
  readonly body: ErrorBody | null;

  constructor(status: number, code: ApiErrorCode, message: string, extra: { retryAfter?: number | null; requestId?: string | null; body?: ErrorBody | null } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = extra.retryAfter ?? null;
    this.requestId = extra.requestId ?? null;
    this.body = extra.body ?? null;
  }
}

/** No answer at all: the server could not be reached, the connection broke, or the request timed out. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Worth trying again with the same request: no answer, or a gateway that could not reach its service. */
export function isTransient(err: unknown): boolean {
  return err instanceof ConnectionError || (err instanceof ApiError && (err.status === 502 || err.status === 503 || err.status === 504));
}

/** The status codes the backend uses when the error body carries no code. */
const codeByStatus: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  502: 'bad_gateway',
  503: 'unavailable',
  504: 'timeout',
};

export function codeForStatus(status: number): ApiErrorCode {
  return codeByStatus[status] ?? (status >= 500 ? 'internal' : 'bad_request');
}

/** `Retry-After` as seconds: a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}
