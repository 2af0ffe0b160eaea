export interface BackoffOptions {
  /** The first step (ms): the first retry waits between half of it and all of it. */
  initialDelayMs: number;
  /** The longest step (ms). */
  maxDelayMs: number;
  /** Each failed attempt multiplies the step by this. */
  factor: number;
}

export const defaultBackoff: BackoffOptions = { initialDelayMs: 500, maxDelayMs: 30_000, factor: 2 };

/**
 * The wait before attempt `attempt` (0 first): exponential steps with "equal jitter", half the step
 * plus a random part of the other half, so the sockets a gateway restart dropped together do not
 * come back together, and none comes back at once.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const step = Math.min(opts.maxDelayMs, opts.initialDelayMs * opts.factor ** Math.min(attempt, 50));
  return step / 2 + (random() * step) / 2;
}
