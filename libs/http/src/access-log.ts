import type { Express, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { requestIdFrom } from './request-id.js';
import { routeLabel } from './route-label.js';

/** Probes answered many times a minute: their lines are debug, so info logs stay about real traffic. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);
const REFUSAL = Symbol('refusal');
type Refusal = { code: string; message: string };
type Noted = Response & { [REFUSAL]?: Refusal };

/** Puts the error answered (its contract code and message) on the request's access-log line; createApp's error handler calls it. */
export function noteError(res: Response, err: Refusal): void {
  (res as Noted)[REFUSAL] = { code: err.code, message: err.message };
}

/**
 * One line per request (pino-http), when its answer is finished or the client went away:
 * `request_id` (the client's or the gateway's `x-request-id` when sane, else a new one, also sent
 * back), method, route pattern, path, status and duration. Headers are never logged (tokens).
 * `req.log` is the service logger bound to the request id, for the lines a handler writes.
 */
export function accessLog(app: Express, log: Logger): RequestHandler {
  const line = (req: Request, res: Response, responseTime: number) => ({
    method: req.method,
    route: routeLabel(app, req),
    path: req.originalUrl.split('?')[0],
    status: res.statusCode,
    duration_ms: responseTime,
    ...(res.writableFinished ? undefined : { aborted: true }),
    ...refusalOf(res as Noted),
  });
  return pinoHttp({
    logger: log,
    genReqId: (req, res) => {
      const id = requestIdFrom(req.headers['x-request-id']);
      res.setHeader('x-request-id', id);
      return id;
    },
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'request_id' },
    customLogLevel: (req, res, err) => {
      const level = err || res.statusCode >= 500 ? 'error' : PROBES.has(req.url?.split('?')[0] ?? '') ? 'debug' : 'info';
      // 'silent' skips building the line at all when the level is off (LOG_LEVEL=warn under load).
      return log.isLevelEnabled(level) ? level : 'silent';
    },
    customSuccessObject: (req, res, val: { responseTime: number }) => line(req as Request, res as Response, val.responseTime),
    customErrorObject: (req, res, _err, val: { responseTime: number }) => line(req as Request, res as Response, val.responseTime),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
  }) as unknown as RequestHandler;
}

function refusalOf(res: Noted): { error_code?: string; error?: string } {
  const r = res[REFUSAL];
  return r ? { error_code: r.code, error: r.message } : {};
}
