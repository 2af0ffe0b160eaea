import type { Express, RequestHandler } from 'express';
import { secondsSince, type ServiceMetrics } from '@chatroulette/metrics';
import { routeLabel } from './route-label.js';

/**
 * `chatroulette_http_request_duration_seconds` by service, route pattern, method and status, from
 * the arrival of a request to the end of its answer (status `aborted` when the client left first).
 */
export function httpMetrics(app: Express, metrics: ServiceMetrics): RequestHandler {
  const duration = metrics.histogram('http_request_duration_seconds', 'HTTP requests by route pattern, method and status, until the answer is sent', {
    labelNames: ['service', 'route', 'method', 'status'],
  });
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once('close', () => {
      const status = res.writableFinished ? String(res.statusCode) : 'aborted';
      duration.observe({ service: metrics.service, route: routeLabel(app, req), method: req.method, status }, secondsSince(start));
    });
    next();
  };
}
