/** Roulette's jobs run often (and retry sooner) so the tests need not wait for them. */
export const fastJobs = {
  ROULETTE_GRACE_LOOP_MS: '50',
  ROULETTE_MATCHER_LOOP_MS: '100',
  ROULETTE_RELAY_LOOP_MS: '100',
  ROULETTE_RETRY_AFTER_MS: '5000',
};
