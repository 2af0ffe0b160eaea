import type { Logger } from 'pino';
import { type Subjects, type UserPresenceEvent } from '@chatroulette/contracts';
import { encodeJson, type NatsConnection } from '@chatroulette/nats';
import type { OnlineChange } from '../db/queries/presence.js';
import { userPresence } from '../domain/views.js';

/** Everything auth publishes to NATS. */
export interface AuthEvents {
  /**
   * `user.<id>.presence` for each user whose overall state turned, called after the commit. Core
   * NATS, not JetStream: presence is a state whose owner answers `auth.users.get`, so a lost event
   * is read again there, not replayed.
   */
  presenceChanged(changes: OnlineChange[]): void;
}

export function createEventPublisher(nc: NatsConnection, subjects: Subjects, log: Logger): AuthEvents {
  return {
    presenceChanged(changes) {
      for (const change of changes) {
        const body: UserPresenceEvent = userPresence(change);
        try {
          nc.publish(subjects.userPresence(change.id), encodeJson(body));
        } catch (err) {
          // Only a closed connection throws here; the state is committed and auth.users.get tells it.
          log.warn({ err, userId: change.id }, 'user presence not published');
        }
      }
    },
  };
}
