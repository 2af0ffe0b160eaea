import type { Logger } from 'pino';
import type { GatewayMetrics } from '../ops/metrics.js';

/**
 * How far past the last forwarded seq a live frame may be. Messages numbers a chat's events one by
 * one and the gateway fills every gap, so a real frame is never more than a few hundred ahead; a frame
 * further ahead is forged (or from a broken publisher) and, held, would keep a gap fill running for
 * ever and the frames behind it waiting. The catch-up after a NATS reconnect reads the log, not this.
 */
export const MAX_SEQ_AHEAD = 10_000;

/** One warn line at most this often, counting what was dropped since the last one. */
const WARN_INTERVAL_MS = 10_000;

/** Why a chat frame from NATS is not forwarded. */
export type DropReason = 'missing_seq' | 'malformed_seq' | 'far_future_seq';

/**
 * Only messages publishes chat events, each with a Chat-Seq (libs/contracts eventHeaders); on an open
 * NATS anyone can publish on `chat.<id>.*`, so a frame without a valid one in range is dropped,
 * counted (`chatroulette_gateway_chat_frames_dropped_total{reason}`) and logged, rate-limited so a
 * flood of forged frames costs one line per 10 s.
 */
export function judgeSeq(seq: number | null, last: number | null): DropReason | null {
  if (seq === null) return 'missing_seq';
  if (Number.isNaN(seq) || seq < 1) return 'malformed_seq';
  if (last !== null && seq > last + MAX_SEQ_AHEAD) return 'far_future_seq';
  return null;
}

export function createDroppedFrames(log: Logger, metrics: Pick<GatewayMetrics, 'chatFrameDropped'>, now = () => Date.now()) {
  let lastWarn = -Infinity;
  let since = 0;
  return (reason: DropReason, subject: string, seq: number | null): void => {
    metrics.chatFrameDropped(reason);
    since++;
    const t = now();
    if (t - lastWarn < WARN_INTERVAL_MS) return;
    log.warn({ subject, reason, seq, dropped: since }, 'chat frame from NATS without a valid Chat-Seq dropped');
    lastWarn = t;
    since = 0;
  };
}
