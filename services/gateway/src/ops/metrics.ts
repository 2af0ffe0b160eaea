import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const metricsPrefix = 'chatroulette_';

/** Upgrade outcomes: accepted (101) or refused with a status (400, 401, 403, 503, ...). */
export type UpgradeResult = 'accepted' | 'refused';

/**
 * The gateway's Prometheus metrics, in a registry of its own (tests run several gateways in one
 * process). Hot paths only increment: label sets are fixed words or route patterns, never user input,
 * and the socket count is read from the hub when scraped.
 */
export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: metricsPrefix });
  let socketsOf = () => 0;
  // Per frame: a plain addition, handed to prom-client at scrape time.
  let frames = 0;

  new Gauge({
    name: `${metricsPrefix}ws_connections`,
    help: 'Open WebSocket connections (admitted or waiting for their auth frame)',
    registers: [registry],
    collect() {
      this.set(socketsOf());
    },
  });
  const httpDuration = new Histogram({
    name: `${metricsPrefix}http_request_duration_seconds`,
    help: 'Proxied REST requests, from their arrival to the end of the answer',
    labelNames: ['service', 'route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const upgrades = new Counter({
    name: `${metricsPrefix}ws_upgrades_total`,
    help: 'WebSocket upgrades by result and status (101 accepted; 400, 401, 403, 503 refused)',
    labelNames: ['result', 'status'] as const,
    registers: [registry],
  });
  new Counter({
    name: `${metricsPrefix}ws_frames_published_total`,
    help: 'Frames published to uWS topics (each fanned out natively to the topic’s sockets)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(frames);
    },
  });
  const slowConsumers = new Counter({
    name: `${metricsPrefix}ws_slow_consumers_closed_total`,
    help: 'Sockets closed with 4001 because their send buffer passed MAX_BACKPRESSURE_BYTES',
    registers: [registry],
  });
  const natsReconnects = new Counter({
    name: `${metricsPrefix}nats_reconnects_total`,
    help: 'Reconnections to NATS',
    registers: [registry],
  });
  const gapFills = new Counter({
    name: `${metricsPrefix}gateway_gap_fills_total`,
    help: 'Gaps in a chat’s sequence fetched from the event log (filled) or given up (skipped)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const replays = new Counter({
    name: `${metricsPrefix}ws_since_replays_total`,
    help: 'Socket recoveries with since: recovered, or unrecovered (events gone, the client reloads)',
    labelNames: ['result'] as const,
    registers: [registry],
  });

  return {
    registry,
    /** The hub's socket count, read at scrape time (the hub is made after the metrics). */
    countSocketsWith(fn: () => number): void {
      socketsOf = fn;
    },
    request(route: string, method: string, status: number, seconds: number): void {
      httpDuration.observe({ service: 'gateway', route, method, status: String(status) }, seconds);
    },
    upgrade(result: UpgradeResult, status: number): void {
      upgrades.inc({ result, status: String(status) });
    },
    framePublished(): void {
      frames++;
    },
    slowConsumerClosed: (): void => slowConsumers.inc(),
    natsReconnected: (): void => natsReconnects.inc(),
    gapFill: (result: 'filled' | 'skipped'): void => gapFills.inc({ result }),
    replay: (result: 'recovered' | 'unrecovered'): void => replays.inc({ result }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
