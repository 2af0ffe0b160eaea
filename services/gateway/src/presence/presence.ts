import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { gatewayHeartbeat, presenceEvent, type Subjects } from '@chatroulette/contracts';
import { encodeJson } from '@chatroulette/nats';

/**
 * Sockets per user on this gateway: `online` on a user's first socket here, `offline` on the last,
 * and a heartbeat so the owner of presence can expire what a dead gateway recorded.
 */
export function createPresence(opts: {
  nc: NatsConnection;
  subjects: Subjects;
  gatewayId: string;
  heartbeatMs: number;
  log: Logger;
}) {
  const { nc, subjects, gatewayId, log } = opts;
  const sockets = new Map<string, number>();

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
    // Never inside a uWS callback: a NATS publish from the open handler (inside uWS's cork) was seen
    // to make uWS drop the just-opened socket (1006) about once in a hundred opens. Queued to the
    // end of the event-loop turn (setImmediate, outside any callback scope), so that the publishes of
    // every socket opened in one turn leave in one write.
    if (queue.length === 0) setImmediate(sendQueued);
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

  return {
    opened(userId: string): void {
      const n = (sockets.get(userId) ?? 0) + 1;
      sockets.set(userId, n);
      if (n === 1) event(userId, 'online');
    },
    closed(userId: string): void {
      const n = (sockets.get(userId) ?? 0) - 1;
      if (n > 0) return void sockets.set(userId, n);
      sockets.delete(userId);
      event(userId, 'offline');
    },
    socketsOf(userId: string): number {
      return sockets.get(userId) ?? 0;
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
