import type { Publisher } from './publisher.js';

const BATCH = 100;

/** The relay: publishes whatever an earlier failure or a crash left in the outbox, batch by batch. */
export async function relayOutbox(publisher: Publisher): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await publisher.publishLeftBehind(BATCH);
    total += n;
    if (n < BATCH) return total;
  }
}
