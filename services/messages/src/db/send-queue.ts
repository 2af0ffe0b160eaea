import { isUniqueViolation } from '@chatroulette/db';
import type { SendRate } from '../domain/send-rate.js';
import type { Db } from './queries/db.js';
import { insertMessagesWithEvents, insertMessageWithEvent, type MessageToStore, type SendOutcome } from './queries/send-message.js';

/**
 * Send statements running at once (per instance); the sends that arrive meanwhile wait and go
 * together. One measured best on two cores: with two, batches rarely formed and 500 msg/s end to
 * end still failed its p99; with one it passed (bench/RESULTS.md, "Group commit"). Each statement
 * holds its chats' locks for a millisecond or two, so the wait behind it stays short.
 */
const MAX_IN_FLIGHT = 1;
const MAX_BATCH = 200;

interface Waiting extends MessageToStore {
  resolve: (outcome: SendOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for sends. When no send statement is running, a send goes at once, alone (a quiet
 * chat waits for nobody); otherwise it waits for the running one and then goes with every send that
 * arrived meanwhile, in one statement: one round trip and one commit for all
 * (insertMessagesWithEvents). Resolves with the event stored, or the check that refused the send.
 */
export function createSendQueue(db: Db, rate: SendRate) {
  let waiting: Waiting[] = [];
  let inFlight = 0;
  const counts = { batched: 0, largest: 0 };

  function pump() {
    while (inFlight < MAX_IN_FLIGHT && waiting.length > 0) {
      const batch = waiting.slice(0, MAX_BATCH);
      waiting = waiting.slice(batch.length);
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  async function run(batch: Waiting[]) {
    counts.largest = Math.max(counts.largest, batch.length);
    if (batch.length === 1) return alone(batch[0]!);
    counts.batched++;
    let outcomes: Map<string, SendOutcome>;
    try {
      outcomes = await insertMessagesWithEvents(db, rate, batch);
    } catch (err) {
      // Two sends with one client key in the batch (or racing another instance): nothing was
      // written, so each goes alone, in order, and gets the answer it would have had unbatched.
      if (isUniqueViolation(err)) {
        for (const w of batch) await alone(w);
        return;
      }
      for (const w of batch) w.reject(err);
      return;
    }
    for (const w of batch) w.resolve(outcomes.get(w.message.id)!);
  }

  async function alone(w: Waiting) {
    try {
      w.resolve(await insertMessageWithEvent(db, rate, w));
    } catch (err) {
      w.reject(err);
    }
  }

  return {
    /** How many statements carried more than one send, and the largest batch: for tests. */
    stats: () => ({ ...counts }),

    store(item: MessageToStore): Promise<SendOutcome> {
      return new Promise((resolve, reject) => {
        waiting.push({ ...item, resolve, reject });
        pump();
      });
    },
  };
}

export type SendQueue = ReturnType<typeof createSendQueue>;
