import type { Msg, NatsConnection, Subscription } from 'nats';
import { parseUserSubject, userEventTypes, userPresenceEventName, type Subjects } from '@chatroulette/contracts';
import { userTopic } from '../hub/topics.js';

/** The user event types that go to a user's sockets as frames; auth's presence state goes to `presence` instead. */
const forwarded = new Set<string>(userEventTypes);

/**
 * Every user's events from one subscription (`user.>`), made on first use and flushed once: the
 * promise resolves when NATS has it, so an event published after a socket opens cannot be missed.
 * One subscription per user cost about 1.2 KB of heap per user, a SUB and a flush round trip at each
 * new user's upgrade; the price is that each gateway receives (and drops) the events of users
 * connected elsewhere, which are few (chatroulette_match, presence), not the chat traffic.
 */
export function createUserEvents(opts: {
  nc: NatsConnection;
  subjects: Subjects;
  /** Whether the user has a socket here (the hub). */
  hasUser: (userId: string) => boolean;
  publish: (topic: string, data: Uint8Array) => void;
  /** Auth's `user.<id>.presence`, whoever the user is (partner presence: their partners may be here). */
  presence?: (userId: string, data: Uint8Array) => void;
}) {
  let sub: Subscription | null = null;
  let ready: Promise<void> | null = null;

  function onMessage(msg: Msg) {
    const parsed = parseUserSubject(msg.subject, opts.subjects.namespace);
    if (parsed?.event === userPresenceEventName) return opts.presence?.(parsed.userId, msg.data);
    if (parsed && forwarded.has(parsed.event) && opts.hasUser(parsed.userId)) opts.publish(userTopic(parsed.userId), msg.data);
  }

  return {
    /** Resolves once the subscription is in place on the server. */
    ready(): Promise<void> {
      if (!ready) {
        sub = opts.nc.subscribe(opts.subjects.allUserEvents, { callback: (err, msg) => !err && onMessage(msg) });
        ready = opts.nc.flush().catch(() => undefined);
      }
      return ready;
    },
    close(): void {
      sub?.unsubscribe();
    },
  };
}
