import { headers as natsHeaders, type Msg, type NatsConnection, type Subscription } from 'nats';
import type { z } from 'zod';
import type { Logger } from 'pino';
import { AppError, isAppError, unavailable } from '@chatroulette/errors';
import { decodeJson, encodeJson } from './codec.js';

/** Error replies carry an HTTP-like status in a header, so a caller rebuilds the same typed error. */
export const STATUS_HEADER = 'Status';

/** A request/reply contract of libs/contracts: one schema each way. */
export interface Contract<Req extends z.ZodType, Rep extends z.ZodType> {
  request: Req;
  reply: Rep;
}

/**
 * Answers `subject` in a queue group: parses the request with the contract, runs the handler,
 * replies with its result or with its typed error.
 */
export function serve<Req extends z.ZodType, Rep extends z.ZodType>(
  nc: NatsConnection,
  subject: string,
  queue: string,
  contract: Contract<Req, Rep>,
  handler: (request: z.infer<Req>) => Promise<z.input<Rep>>,
  log: Logger,
): Subscription {
  return nc.subscribe(subject, {
    queue,
    callback: (err, msg) => {
      if (err) {
        log.error({ err, subject }, 'subscription failed');
        return;
      }
      void answer(msg);
    },
  });

  async function answer(msg: Msg) {
    try {
      let body: unknown;
      try {
        body = decodeJson(msg.data);
      } catch {
        throw new AppError('bad_request', 'Invalid JSON');
      }
      const parsed = contract.request.safeParse(body);
      if (!parsed.success) throw new AppError('bad_request', `Invalid request: ${parsed.error.issues[0]?.message}`);
      const result = await handler(parsed.data);
      if (msg.reply) msg.respond(encodeJson(result));
    } catch (e) {
      const appErr = isAppError(e) ? e : new AppError('internal', 'Internal error');
      if (!isAppError(e)) log.error({ err: e, subject }, 'request handler failed');
      if (!msg.reply) return;
      const h = natsHeaders(appErr.status, appErr.message);
      h.set(STATUS_HEADER, String(appErr.status));
      msg.respond(encodeJson({ error: appErr.message, code: appErr.code }), { headers: h });
    }
  }
}

/**
 * Sends a request and returns the validated reply; an error reply comes back as the same typed error,
 * no responder or a timeout as 503.
 */
export async function request<Req extends z.ZodType, Rep extends z.ZodType>(
  nc: NatsConnection,
  subject: string,
  contract: Contract<Req, Rep>,
  body: z.input<Req>,
  timeoutMs = 5000,
): Promise<z.infer<Rep>> {
  let msg: Msg;
  try {
    msg = await nc.request(subject, encodeJson(body), { timeout: timeoutMs });
  } catch (e) {
    throw unavailable(`${describe(subject)} is unavailable`, e);
  }
  const status = msg.headers?.get(STATUS_HEADER);
  const data = decodeJson(msg.data) as { error?: string };
  if (status) throw AppError.fromStatus(Number(status), data.error ?? 'Request failed');
  return contract.reply.parse(data);
}

/** `ns.messages.chats.create` -> `messages service`, for error messages a client may read. */
function describe(subject: string): string {
  const parts = subject.split('.');
  const owner = parts.length >= 3 ? parts[parts.length - 3] : subject;
  return `The ${owner} service`;
}
