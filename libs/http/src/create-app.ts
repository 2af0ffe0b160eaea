import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { limits } from '@chatroulette/contracts';
import { AppError, errorBody, isAppError } from '@chatroulette/errors';
import type { ServiceMetrics } from '@chatroulette/metrics';
import { accessLog, noteError } from './access-log.js';
import { httpMetrics } from './http-metrics.js';
import { readinessRoute, type ReadinessChecks } from './readiness.js';
import { trackRoute } from './route-label.js';

export interface AppOptions {
  log: Logger;
  /** The service's registry: served at `/metrics`, and where the HTTP histogram goes. */
  metrics: ServiceMetrics;
  /** What `/readyz` asks (its database, NATS). */
  readiness: ReadinessChecks;
  /** Turns a library's error (the database's) into an AppError before it is answered. */
  mapError?: (e: unknown) => unknown;
}

/**
 * An express app with the contract's conventions: JSON bodies up to the limit, every error answered
 * as `{error, code, request_id}` with its status, `/healthz` (liveness), `/readyz` (readiness),
 * `/metrics` (Prometheus), one access-log line per request and the HTTP latency histogram. Routes
 * are added by `mount`; errors are mapped here, once.
 */
export function createApp(opts: AppOptions, mount: (app: Express) => void): Express {
  const { log, metrics } = opts;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(trackRoute, httpMetrics(app, metrics), accessLog(app, log));
  app.use(express.json({ limit: limits.maxBodyBytes, strict: false }));
  // Liveness: 200 while the process runs. Readiness asks the dependencies.
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', readinessRoute(opts.readiness));
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.contentType);
    res.end(await metrics.scrape());
  });
  mount(app);
  app.use(((_req, _res, next) => next(new AppError('not_found', 'Route not found'))) as RequestHandler);
  app.use(errorHandler(log, opts.mapError ?? ((e) => e)));
  return app;
}

function errorHandler(log: Logger, mapError: (e: unknown) => unknown): ErrorRequestHandler {
  return (rawErr, req, res, _next) => {
    const err = toAppError(mapError(rawErr));
    // The access-log line of the request says the rest (status, code); a bug also gets its stack here.
    if (err.status >= 500) (req.log ?? log).error({ err: rawErr, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    noteError(res, err);
    if (err.retryAfter !== undefined) res.setHeader('Retry-After', String(err.retryAfter));
    res.status(err.status).json({ ...errorBody(err), request_id: String(req.id) });
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
