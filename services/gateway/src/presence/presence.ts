import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { gatewayHeartbeat, presenceEvent, type Subjects } from '@chatroulette/contracts';
import { encodeJson } from '@chatroulette/nats';
import type { UserPresenceHooks } from '../hub/hub.js';
import { outsideUws } from '../transport/outside-uws.js';

/**
 * This gateway's part of presence: `online` when the hub counts a user's first socket here,
 * `offline` at the last, and a heartbeat so the owner of presence can expire what a dead gateway
 * recorded. Publishes leave the uWS callback and go together, once per event-loop turn.
 *
 * Back on NATS after an outage long enough for auth to have expired this gateway (3 heartbeats
 * missed: a link that went silent is only noticed after the pings time out, so such a one counts
 * too), `online` again for every user here: auth then has them online as they are, and roulette's
 * grace period for them ends. A short outage needs nothing: what was published meanwhile waits in
 * the client and goes out on the reconnect.
 */
export function createPresence(opts: {
  nc: NatsConnection;
  subjects: Subjects;
  gatewayId: string;
  heartbeatMs: number;
  log: Logger;
  /** The users with a socket here now. */
  usersHere: () => Iterable<string>;
}) {
  const { nc, subjects, gatewayId, log } = opts;
  let queue: { subject: string; body: unknown }[] = [];

  function sendQueued() {
    const batch = queue;
    queue = [];
    for (const { subject, body } of batch) {
      try {
        nc.publish(subject, encodeJson(body));
      } catch (err) {
        log.warn({ err, subject }, 'presence publish failed');
      }
    }
  }

  function publish(subject: string, body: unknown) {
    if (queue.length === 0) outsideUws(sendQueued);
    queue.push({ subject, body });
  }

  function event(userId: string, state: 'online' | 'offline') {
    const body = presenceEvent.parse({ user_id: userId, gateway_id: gatewayId, at: new Date().toISOString() });
    publish(subjects.presence(userId, state), body);
  }

  function heartbeat() {
    const body = gatewayHeartbeat.parse({ gateway_id: gatewayId, at: new Date().toISOString(), interval_ms: opts.heartbeatMs });
    publish(subjects.gatewayHeartbeat, body);
  }

  function reannounce() {
    let n = 0;
    for (const userId of opts.usersHere()) {
      event(userId, 'online');
      n++;
    }
    if (n > 0) log.info({ users: n }, 'presence announced again after a NATS outage');
  }

  heartbeat();
  const timer = setInterval(heartbeat, opts.heartbeatMs);
  timer.unref();
  void (async () => {
    let away = null as { at: number; silent: boolean } | null;
    for await (const s of nc.status()) {
      if (s.type === 'staleConnection') away = { at: away?.at ?? Date.now(), silent: true };
      else if (s.type === 'disconnect') away ??= { at: Date.now(), silent: false };
      else if (s.type === 'reconnect' && away) {
        if (away.silent || Date.now() - away.at >= opts.heartbeatMs) reannounce();
        away = null;
      }
    }
  })();

  const hooks: UserPresenceHooks & { stop(): void } = {
    online: (userId) => event(userId, 'online'),
    offline: (userId) => event(userId, 'offline'),
    stop: () => clearInterval(timer),
  };
  return hooks;
}

export type Presence = ReturnType<typeof createPresence>;
