import { headers as natsHeaders, type Msg, type NatsConnection, type Subscription } from 'nats';
import type { z } from 'zod';
import type { Logger } from 'pino';
import { AppError, errorBody, isAppError } from '@chatroulette/errors';
import { decodeJson, encodeJson } from './codec.js';
import { STATUS_HEADER, type Contract } from './rpc.js';

export interface NatsHandlersOptions {
  nc: NatsConnection;
  /** The service's queue group, so its instances share requests and events. */
  queue: string;
  log: Logger;
  /** Maps what a handler throws to the error a caller should see (e.g. a database outage to 503), once for every handler. */
  mapError?: (err: unknown) => unknown;
}

export interface NatsHandlers {
  /** Answers `subject`: parses the request with the contract, replies with the handler's result or its typed error. */
  reply<Req extends z.ZodType, Rep extends z.ZodType>(
    subject: string,
    contract: Contract<Req, Rep>,
    handler: (request: z.infer<Req>) => Promise<z.input<Rep>> | z.input<Rep>,
  ): void;
  /**
   * Consumes JSON events on `subject` (wildcards allowed): a body that is not JSON or fails `schema`
   * is logged and dropped; a handler that throws is logged. `queue: false` makes every instance see them.
   */
  consume<S extends z.ZodType>(
    subject: string,
    schema: S,
    handler: (event: z.infer<S>, msg: Msg) => Promise<unknown> | unknown,
    opts?: { queue?: boolean },
  ): void;
  /** Stops receiving and waits for the handlers in flight. */
  close(): Promise<void>;
}

/** The requests a service answers and the events it consumes, with one error mapping for all of them. */
export function createNatsHandlers(opts: NatsHandlersOptions): NatsHandlers {
  const { nc, log } = opts;
  const mapError = opts.mapError ?? ((e: unknown) => e);
  const subs: Subscription[] = [];
  const inFlight = new Set<Promise<unknown>>();

  function run(work: () => Promise<unknown>): void {
    const p = work();
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }

  function subscribe(subject: string, queue: boolean, onMsg: (msg: Msg) => Promise<unknown>) {
    subs.push(
      nc.subscribe(subject, {
        ...(queue ? { queue: opts.queue } : {}),
        callback: (err, msg) => {
          if (err) return void log.error({ err, subject }, 'subscription failed');
          run(() => onMsg(msg));
        },
      }),
    );
  }

  return {
    reply(subject, contract, handler) {
      subscribe(subject, true, async (msg) => {
        try {
          const parsed = contract.request.safeParse(parseJson(msg.data));
          if (!parsed.success) throw new AppError('bad_request', `Invalid request: ${parsed.error.issues[0]?.message}`);
          const result = await handler(parsed.data);
          if (msg.reply) msg.respond(encodeJson(result));
        } catch (e) {
          const mapped = mapError(e);
          const appErr = isAppError(mapped) ? mapped : new AppError('internal', 'Internal error');
          if (appErr.status >= 500) log.error({ err: e, subject }, 'request handler failed');
          if (!msg.reply) return;
          const h = natsHeaders(appErr.status, appErr.message);
          h.set(STATUS_HEADER, String(appErr.status));
          msg.respond(encodeJson({ ...errorBody(appErr), retry_after: appErr.retryAfter }), { headers: h });
        }
      });
    },

    consume(subject, schema, handler, consumeOpts) {
      subscribe(subject, consumeOpts?.queue ?? true, async (msg) => {
        let body: unknown;
        try {
          body = parseJson(msg.data);
        } catch {
          return void log.warn({ subject: msg.subject }, 'event is not JSON; dropped');
        }
        const parsed = schema.safeParse(body);
        if (!parsed.success) {
          return void log.warn({ subject: msg.subject, issue: parsed.error.issues[0]?.message }, 'malformed event; dropped');
        }
        try {
          await handler(parsed.data, msg);
        } catch (e) {
          const mapped = mapError(e);
          const level = isAppError(mapped) && mapped.status < 500 ? 'debug' : 'warn';
          log[level]({ err: e, subject: msg.subject }, 'event handler failed');
        }
      });
    },

    async close() {
      for (const s of subs.splice(0)) s.unsubscribe();
      await Promise.allSettled([...inFlight]);
    },
  };
}

function parseJson(data: Uint8Array): unknown {
  try {
    return decodeJson(data);
  } catch {
    throw new AppError('bad_request', 'Invalid JSON');
  }
}
