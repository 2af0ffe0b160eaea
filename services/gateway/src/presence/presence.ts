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
 */
export function createPresence(opts: { nc: NatsConnection; subjects: Subjects; gatewayId: string; heartbeatMs: number; log: Logger }) {
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

  heartbeat();
  const timer = setInterval(heartbeat, opts.heartbeatMs);
  timer.unref();

  const hooks: UserPresenceHooks & { stop(): void } = {
    online: (userId) => event(userId, 'online'),
    offline: (userId) => event(userId, 'offline'),
    stop: () => clearInterval(timer),
  };
  return hooks;
}

export type Presence = ReturnType<typeof createPresence>;
