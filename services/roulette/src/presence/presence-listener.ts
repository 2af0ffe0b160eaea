import { parsePresenceSubject, presenceEvent, queueGroups } from '@chatroulette/contracts';
import { decodeJson, type NatsConnection } from '@chatroulette/nats';
import { cancelGrace, startGrace } from '../db/queries/deadlines.js';
import type { RouletteContext } from '../use-cases/context.js';

/**
 * Gateways say when a user's sockets are all gone (offline) or back (online). Offline starts the
 * grace period in the database, so any instance acts on it and a restart keeps it.
 */
export function listenToPresence(ctx: RouletteContext, nc: NatsConnection, graceMs: number): { stop(): Promise<void> } {
  const pending = new Map<string, Promise<void>>();
  const sub = nc.subscribe(ctx.subjects.allPresence, {
    queue: queueGroups.roulette,
    callback: (err, msg) => {
      if (err) {
        ctx.log.error({ err }, 'presence subscription failed');
        return;
      }
      const parsed = parsePresenceSubject(msg.subject);
      let body: unknown;
      try {
        body = decodeJson(msg.data);
      } catch {
        body = undefined;
      }
      const event = presenceEvent.safeParse(body);
      if (!parsed || !event.success || event.data.user_id !== parsed.userId) {
        ctx.log.warn({ subject: msg.subject }, 'malformed presence event ignored');
        return;
      }
      const { userId, state } = parsed;
      // One user's events are applied in arrival order, so a quick offline/online ends online.
      const prev = pending.get(userId) ?? Promise.resolve();
      const next = prev
        .then(() => (state === 'offline' ? startGrace(ctx.db, userId, graceMs) : cancelGrace(ctx.db, userId)))
        .catch((e: unknown) => ctx.log.warn({ err: e, userId }, 'recording presence failed'))
        .finally(() => {
          if (pending.get(userId) === next) pending.delete(userId);
        });
      pending.set(userId, next);
    },
  });
  return {
    /** Stops listening and waits for the writes already started. */
    async stop() {
      sub.unsubscribe();
      await Promise.all([...pending.values()]);
    },
  };
}
