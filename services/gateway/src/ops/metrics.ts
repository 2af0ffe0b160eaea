import { budgetMetrics } from '@chatroulette/budgets';
import { createServiceMetrics } from '@chatroulette/metrics';

/** Upgrade outcomes: accepted (101) or refused with a status (400, 401, 403, 503, ...). */
export type UpgradeResult = 'accepted' | 'refused';

/**
 * The gateway's Prometheus metrics, on the services' kit (libs/metrics: a registry per instance, the
 * `chatroulette_` prefix, `service="gateway"`, process metrics). Hot paths only increment: label sets
 * are fixed words or route patterns, never user input, and the socket count is read from the hub
 * when scraped.
 */
export function createGatewayMetrics() {
  const metrics = createServiceMetrics('gateway');
  let socketsOf = () => 0;
  // Per frame: a plain addition, handed to prom-client at scrape time.
  let frames = 0;

  metrics.gaugeOnScrape('ws_connections', 'Open WebSocket connections (admitted or waiting for their auth frame)', () => socketsOf());
  const httpDuration = metrics.histogram('http_request_duration_seconds', 'Proxied REST requests, from their arrival to the end of the answer', {
    labelNames: ['route', 'method', 'status'] as const,
  });
  const upgrades = metrics.counter('ws_upgrades_total', 'WebSocket upgrades by result and status (101 accepted; 400, 401, 403, 503 refused)', ['result', 'status'] as const);
  const published = metrics.counter('ws_frames_published_total', 'Frames published to uWS topics (each fanned out natively to the topic’s sockets)');
  const slowConsumers = metrics.counter('ws_slow_consumers_closed_total', 'Sockets closed with 4001 because their send buffer passed MAX_BACKPRESSURE_BYTES');
  const natsReconnects = metrics.counter('nats_reconnects_total', 'Reconnections to NATS');
  const gapFills = metrics.counter('gateway_gap_fills_total', 'Fills of gaps in a chat’s sequence: fetched from the event log (filled), gone from it (skipped), or the log not answering (failed: retried)', ['result'] as const);
  const droppedFrames = metrics.counter('gateway_chat_frames_dropped_total', 'Chat frames from NATS dropped for a missing, malformed or far-future Chat-Seq (forged or broken publishers)', ['reason'] as const);
  const replays = metrics.counter('ws_since_replays_total', 'Socket recoveries with since: recovered, or unrecovered (events gone, the client reloads)', ['result'] as const);

  return {
    /** Budget refusals and store failures, by budget. */
    budgets: budgetMetrics(metrics),
    /** The text exposition, with the frames counted since the last scrape handed over first. */
    async scrape(): Promise<string> {
      published.inc(frames);
      frames = 0;
      return metrics.scrape();
    },
    contentType: metrics.contentType,
    /** The hub's socket count, read at scrape time (the hub is made after the metrics). */
    countSocketsWith(fn: () => number): void {
      socketsOf = fn;
    },
    request(route: string, method: string, status: number, seconds: number): void {
      httpDuration.observe({ route, method, status: String(status) }, seconds);
    },
    upgrade(result: UpgradeResult, status: number): void {
      upgrades.inc({ result, status: String(status) });
    },
    framePublished(): void {
      frames++;
    },
    slowConsumerClosed: (): void => slowConsumers.inc(),
    natsReconnected: (): void => natsReconnects.inc(),
    gapFill: (result: 'filled' | 'skipped' | 'failed'): void => gapFills.inc({ result }),
    chatFrameDropped: (reason: 'missing_seq' | 'malformed_seq' | 'far_future_seq'): void => droppedFrames.inc({ reason }),
    replay: (result: 'recovered' | 'unrecovered'): void => replays.inc({ result }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
