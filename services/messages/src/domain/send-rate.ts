/**
 * The per-user send budget: a bucket of `burst` messages that refills at `perSecond` messages a
 * second (the generic cell rate algorithm, GCRA). A quiet sender may store `burst` messages at once,
 * then one every 1/perSecond s; in any L seconds at most `burst + floor(L × perSecond)`.
 */
export interface SendRate {
  perSecond: number;
  burst: number;
}

/**
 * The rule in the units the send statements count in, whole microseconds: the interval between two
 * messages at the sustained rate, and how far ahead of the clock a sender's schedule may run (the
 * burst after the first message). Whole numbers, so a full bucket gives exactly `burst`.
 */
export function sendRateUnits(rate: SendRate) {
  const intervalUs = Math.max(1, Math.round(1_000_000 / rate.perSecond));
  return { intervalUs, aheadUs: (rate.burst - 1) * intervalUs, burst: rate.burst };
}
