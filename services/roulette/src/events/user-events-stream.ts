import type { Logger } from '@chatroulette/logger';
import type { Subjects } from '@chatroulette/contracts';
import { ensureStream, type NatsConnection } from '@chatroulette/nats';

/**
 * USER_EVENTS, owned by roulette: only the durable user event types (chatroulette_match), so auth's
 * core `user.<id>.presence` publishes are not kept. An existing stream (an older `user.>` one) is
 * updated to these subjects by ensureStream.
 */
export function ensureUserEventsStream(nc: NatsConnection, subjects: Subjects, replicas: number, log: Logger): Promise<void> {
  return ensureStream(
    nc,
    {
      name: subjects.userEventsStream,
      subjects: [...subjects.durableUserEvents],
      // Longer than the relay's retries, so a re-publish is dropped as a duplicate.
      duplicateWindowMs: 120_000,
      maxAgeMs: 3_600_000,
      replicas,
    },
    log,
  );
}
