import type { Msg, NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import { parseUserSubject, userEventTypes, userPresenceEventName, type Subjects } from '@chatroulette/contracts';
import { userTopic } from '../hub/topics.js';
import { DeliveredIds } from './delivered-ids.js';
import { readStreamSince } from './user-catch-up.js';

/** The user event types that go to a user's sockets as frames; auth's presence state goes to `presence` instead. */
const forwarded = new Set<string>(userEventTypes);

/** JetStream's de-duplication header, which every durable user event carries (roulette's `<match>:<user>`). */
const MSG_ID = 'Nats-Msg-Id';

/**
 * How far before the noticed disconnect a catch-up reads back: a link that goes silent (no RST) is
 * noticed only once the client's pings go unanswered, 2 of them 10 s apart (libs/nats connectNats).
 */
export const LINK_SLACK_MS = 30_000;

/**
 * Every user's events from one subscription (`user.>`), made on first use and flushed once: the
 * promise resolves when NATS has it, so an event published after a socket opens cannot be missed.
 * One subscription per user cost about 1.2 KB of heap per user, a SUB and a flush round trip at each
 * new user's upgrade; the price is that each gateway receives (and drops) the events of users
 * connected elsewhere, which are few (chatroulette_match, presence), not the chat traffic.
 *
 * What a gateway away from NATS missed is caught up after its reconnect (catchUp): the durable user
 * events (USER_EVENTS) stored since shortly before the link went are read back, and those of users
 * with a socket here that were not forwarded yet (by their de-duplication id) are forwarded then.
 */
export function createUserEvents(opts: {
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  /** Whether the user has a socket here (the hub). */
  hasUser: (userId: string) => boolean;
  publish: (topic: string, data: Uint8Array) => void;
  /** Auth's `user.<id>.presence`, whoever the user is (partner presence: their partners may be here). */
  presence?: (userId: string, data: Uint8Array) => void;
}) {
  const { nc, subjects, log } = opts;
  let sub: Subscription | null = null;
  let ready: Promise<void> | null = null;
  const delivered = new DeliveredIds(2 * LINK_SLACK_MS);

  /** Forwards a user event to its user's sockets here, once per de-duplication id; false when it does not go out. */
  function forward(subject: string, data: Uint8Array, msgId: string | undefined): boolean {
    const parsed = parseUserSubject(subject, subjects.namespace);
    if (!parsed || !forwarded.has(parsed.event) || !opts.hasUser(parsed.userId)) return false;
    if (msgId) {
      if (delivered.has(msgId)) return false;
      delivered.add(msgId);
    }
    opts.publish(userTopic(parsed.userId), data);
    return true;
  }

  function onMessage(msg: Msg) {
    const parsed = parseUserSubject(msg.subject, subjects.namespace);
    if (parsed?.event === userPresenceEventName) return opts.presence?.(parsed.userId, msg.data);
    // Headers are decoded only for an event that may go out (a user here).
    if (!parsed || !forwarded.has(parsed.event) || !opts.hasUser(parsed.userId)) return;
    forward(msg.subject, msg.data, msg.headers?.get(MSG_ID) || undefined);
  }

  return {
    /** Resolves once the subscription is in place on the server. */
    ready(): Promise<void> {
      if (!ready) {
        sub = nc.subscribe(subjects.allUserEvents, { callback: (err, msg) => !err && onMessage(msg) });
        ready = nc.flush().catch(() => undefined);
      }
      return ready;
    },

    /**
     * After a reconnect: forwards what USER_EVENTS stored from `disconnectedAt` (less LINK_SLACK_MS)
     * on and nobody here got. Returns how many went out; a failure is logged (the next reconnect tries again).
     */
    async catchUp(disconnectedAt: number): Promise<number> {
      if (!sub) return 0; // no socket was ever admitted: nobody to catch up
      const from = disconnectedAt - LINK_SLACK_MS;
      delivered.holdFrom(from);
      let sent = 0;
      try {
        const read = await readStreamSince(nc, subjects.userEventsStream, from, (m) => {
          if (forward(m.subject, m.data, m.headers?.get(MSG_ID) || undefined)) sent++;
        });
        if (sent > 0) log.info({ read, sent }, 'caught up on user events missed while away from NATS');
      } catch (err) {
        log.warn({ err }, 'could not catch up on user events after a NATS reconnect');
      } finally {
        delivered.release();
      }
      return sent;
    },

    close(): void {
      sub?.unsubscribe();
    },
  };
}
