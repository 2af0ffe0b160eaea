import { parseUserSubject, userPresenceEvent } from '@chatroulette/contracts';
import type { NatsHandlers } from '@chatroulette/nats';
import { cancelGrace, startGrace } from '../db/queries/deadlines.js';
import type { RouletteContext } from '../context.js';

/**
 * Auth, the one owner of presence, says when a user's sockets are gone from every gateway (offline)
 * or back on one (online). Offline starts the grace period in the database, so any instance acts on
 * it and a restart keeps it; online cancels it.
 */
export function consumeUserPresence(handlers: NatsHandlers, ctx: RouletteContext, graceMs: number): void {
  /** The last write per user, so one user's events are applied in arrival order (a quick offline/online ends online). */
  const lastWrite = new Map<string, Promise<void>>();

  handlers.consume(ctx.subjects.allUserPresence, userPresenceEvent, (event, msg) => {
    if (parseUserSubject(msg.subject, ctx.subjects.namespace)?.userId !== event.user_id) {
      ctx.log.warn({ subject: msg.subject }, 'presence event for another user than its subject; dropped');
      return;
    }
    const userId = event.user_id;
    const write = (lastWrite.get(userId) ?? Promise.resolve()).then(() =>
      event.is_online ? cancelGrace(ctx.db, userId) : startGrace(ctx.db, { id: userId, username: event.username }, graceMs),
    );
    const settled = write.catch(() => undefined);
    lastWrite.set(userId, settled);
    void settled.then(() => {
      if (lastWrite.get(userId) === settled) lastWrite.delete(userId);
    });
    // A failed write is logged by the handlers (and a database outage mapped once there).
    return write;
  });
}
