import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { limits } from '@chatroulette/contracts';
import { AppError, errorBody, isAppError } from '@chatroulette/errors';

/**
 * An express app with the contract's conventions: JSON bodies up to the limit, and every error
 * answered as `{error, code}` with its status, and `/healthz`. Routes are added by `mount`; errors are mapped here, once.
 */
export function createApp(log: Logger, mount: (app: Express) => void, mapError: (e: unknown) => unknown = (e) => e): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.json({ limit: limits.maxBodyBytes, strict: false }));
  // Liveness: 200 while the process runs (readiness, which asks the dependencies, is another route).
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  mount(app);
  app.use(((_req, _res, next) => next(new AppError('not_found', 'Route not found'))) as RequestHandler);
  app.use(errorHandler(log, mapError));
  return app;
}

function errorHandler(log: Logger, mapError: (e: unknown) => unknown): ErrorRequestHandler {
  return (rawErr, req, res, _next) => {
    const err = toAppError(mapError(rawErr));
    if (err.status >= 500) {
      log.error({ err: rawErr, method: req.method, path: req.path }, 'request failed');
    } else {
      log.debug({ method: req.method, path: req.path, status: err.status, error: err.message }, 'request refused');
    }
    if (res.headersSent) return;
    if (err.retryAfter !== undefined) res.setHeader('Retry-After', String(err.retryAfter));
    res.status(err.status).json(errorBody(err));
  };
}

/** body-parser's errors carry a `type`; everything unknown is a real bug (500). */
function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const type = (err as { type?: string } | null)?.type;
  if (type === 'entity.parse.failed') return new AppError('bad_request', 'Invalid JSON body');
  if (type === 'entity.too.large') return new AppError('payload_too_large', `Body over ${limits.maxBodyBytes} bytes`);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError('bad_request', 'Unsupported body encoding');
  }
  if (type === 'request.aborted') return new AppError('bad_request', 'Request aborted');
  return new AppError('internal', 'Internal server error');
}
