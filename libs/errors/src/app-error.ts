/**
 * Typed errors thrown by domain code and mapped to a transport once
 * (HTTP status in libs/http, reply headers in libs/nats, error frames in the gateway).
 */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  /** 403 between a blocked pair (either way): sends, likes, chats, frames. */
  | 'blocked'
  /** 403 for a user suspended from the roulette; the body says until when. */
  | 'suspended'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'range_not_satisfiable'
  | 'too_many_requests'
  | 'internal'
  | 'bad_gateway'
  | 'unavailable'
  | 'timeout';

const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  blocked: 403,
  suspended: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  too_many_requests: 429,
  internal: 500,
  bad_gateway: 502,
  unavailable: 503,
  timeout: 504,
};

/** The general code of each status (the first one listed: 403 is forbidden, not blocked or suspended). */
const codeByStatus = new Map<number, ErrorCode>();
for (const [code, status] of Object.entries(statusByCode)) if (!codeByStatus.has(status)) codeByStatus.set(status, code as ErrorCode);

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Seconds a client should wait before retrying (429, 503). */
  readonly retryAfter?: number;
  /** Fields of the error body beside `error` and `code` (a suspension's `suspended_until`). */
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, opts: { retryAfter?: number; cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = statusByCode[code];
    if (opts.retryAfter !== undefined) this.retryAfter = opts.retryAfter;
    if (opts.details !== undefined) this.details = opts.details;
  }

  /** Rebuilds an error that crossed a transport as a status and a message. */
  static fromStatus(status: number, message: string, retryAfter?: number): AppError {
    return new AppError(codeByStatus.get(status) ?? 'internal', message, { retryAfter });
  }

  /**
   * Rebuilds an error that crossed a transport as a status and its error body: the same code (403
   * `blocked` stays `blocked`) and details when the code is known and has that status, else the
   * status's general code.
   */
  static fromBody(status: number, body: { error?: unknown; code?: unknown; [field: string]: unknown }, retryAfter?: number): AppError {
    const { error, code, ...details } = body;
    const message = typeof error === 'string' ? error : 'Request failed';
    const known = typeof code === 'string' && Object.hasOwn(statusByCode, code) && statusByCode[code as ErrorCode] === status;
    if (!known) return AppError.fromStatus(status, message, retryAfter);
    return new AppError(code as ErrorCode, message, { retryAfter, details: Object.keys(details).length ? details : undefined });
  }
}

export const badRequest = (message: string) => new AppError('bad_request', message);
export const unauthorized = (message = 'Invalid or missing token') => new AppError('unauthorized', message);
export const forbidden = (message = 'Forbidden') => new AppError('forbidden', message);
export const notFound = (message = 'Not found') => new AppError('not_found', message);
export const conflict = (message: string) => new AppError('conflict', message);
export const unavailable = (message = 'Service unavailable', cause?: unknown) =>
  new AppError('unavailable', message, { retryAfter: 1, cause });

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** The contract's error body: `{error, code}`, and the error's details. */
export function errorBody(err: AppError): { error: string; code: ErrorCode; [field: string]: unknown } {
  return { ...err.details, error: err.message, code: err.code };
}
