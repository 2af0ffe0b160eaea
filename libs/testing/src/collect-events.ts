import type { Msg, NatsConnection } from 'nats';
import { sleep } from './wait-until.js';

/** One message seen on NATS: its JSON body as parsed, the raw text, and its headers. */
export interface SeenEvent {
  subject: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever shape they expect
  body: any;
  raw: string;
  headers: Record<string, string>;
}

/**
 * Collects every message published on `subject` (core NATS also sees each JetStream publish), from
 * the moment the subscription is flushed. `waitFor(n)` fails naming the subject when fewer come in time.
 */
export async function collectEvents(nc: NatsConnection, subject: string) {
  const events: SeenEvent[] = [];
  const sub = nc.subscribe(subject, {
    callback: (_err, msg: Msg) => {
      const raw = new TextDecoder().decode(msg.data);
      const headers: Record<string, string> = {};
      for (const k of msg.headers?.keys() ?? []) headers[k] = msg.headers!.get(k);
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      events.push({ subject: msg.subject, body, raw, headers });
    },
  });
  await nc.flush();
  return {
    events,
    async waitFor(n: number, timeoutMs = 5000): Promise<SeenEvent[]> {
      const until = Date.now() + timeoutMs;
      while (events.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} messages on ${subject}, saw ${events.length}`);
        await sleep(20);
      }
      return events;
    },
    stop: () => sub.unsubscribe(),
  };
}
