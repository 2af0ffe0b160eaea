import { AckPolicy, DeliverPolicy, nanos, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { decodeJson } from './codec.js';

export interface DurableConsumerOptions<S extends z.ZodType> {
  nc: NatsConnection;
  /** Another service's stream; it may not exist yet (its owner not started): the consumer waits for it. */
  stream: string;
  /** The durable consumer's name: every instance of the service pulls from it, so each event goes to one of them. */
  name: string;
  filterSubject: string;
  schema: S;
  /** Applies one event; it must be idempotent (a crash between the work and the ack delivers it again). */
  handler: (event: z.infer<S>, msg: JsMsg) => Promise<void>;
  log: Logger;
  /** How long a failed event waits before it is delivered again (default 1 s). */
  retryMs?: number;
}

export interface DurableConsumer {
  /** Resolves once the consumer exists on the server and messages are being pulled. */
  readonly ready: Promise<void>;
  /** Stops pulling and waits for the event in hand. */
  stop(): Promise<void>;
}

/**
 * Consumes a stream through a durable pull consumer with explicit acks: an event is acked only after
 * its handler succeeded, so a restart (or a crash) resumes where the service left off and nothing is
 * lost; a failed handler has it delivered again after `retryMs`, a malformed event is dropped for good.
 * Events are handled one at a time per instance.
 */
export function consumeDurable<S extends z.ZodType>(opts: DurableConsumerOptions<S>): DurableConsumer {
  const { nc, stream, name, log } = opts;
  const retryMs = opts.retryMs ?? 1000;
  let stopped = false;
  let messages: ConsumerMessages | undefined;
  let wake: () => void = () => undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  async function bind(): Promise<ConsumerMessages> {
    const jsm = await nc.jetstreamManager();
    const config = {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: opts.filterSubject,
      ack_wait: nanos(30_000),
    };
    // Another instance created it first, or an earlier run did: the existing one keeps its position.
    await jsm.consumers.add(stream, config).catch(() => jsm.consumers.info(stream, name));
    const consumer = await nc.jetstream().consumers.get(stream, name);
    return consumer.consume({ max_messages: 100 });
  }

  async function handle(m: JsMsg): Promise<void> {
    let parsed: z.ZodSafeParseResult<z.infer<S>>;
    try {
      parsed = opts.schema.safeParse(decodeJson(m.data));
    } catch {
      log.warn({ subject: m.subject, stream }, 'event is not JSON; dropped');
      return m.term();
    }
    if (!parsed.success) {
      log.warn({ subject: m.subject, stream, issue: parsed.error.issues[0]?.message }, 'malformed event; dropped');
      return m.term();
    }
    try {
      await opts.handler(parsed.data, m);
      m.ack();
    } catch (err) {
      log.warn({ err, subject: m.subject, consumer: name }, 'event handler failed; delivered again later');
      m.nak(retryMs);
    }
  }

  /** A second before binding again (the stream not there yet, a server restart); stop() cuts it short. */
  const pause = () =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 1000);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const done = (async () => {
    let warned = false;
    while (!stopped) {
      try {
        messages = await bind();
        if (stopped) break;
        log.info({ stream, consumer: name }, 'durable consumer ready');
        warned = false;
        markReady();
        for await (const m of messages) await handle(m);
      } catch (err) {
        if (stopped) break;
        if (!warned) log.warn({ err, stream, consumer: name }, 'durable consumer not ready; retrying every second');
        warned = true;
      }
      if (!stopped) await pause();
    }
  })();

  return {
    ready,
    async stop() {
      stopped = true;
      wake();
      await messages?.close().catch(() => undefined);
      await done;
    },
  };
}
