import type { Msg, NatsConnection } from 'nats';
import type { z } from 'zod';
import { replyHeaders, restServices } from '@chatroulette/contracts';
import { AppError, unavailable } from '@chatroulette/errors';
import { decodeJson, encodeJson } from './codec.js';

/** Error replies carry an HTTP-like status in a header, so a caller rebuilds the same typed error. */
export const STATUS_HEADER = replyHeaders.status;

/** A request/reply contract of libs/contracts: one schema each way. */
export interface Contract<Req extends z.ZodType, Rep extends z.ZodType> {
  request: Req;
  reply: Rep;
}

/**
 * Sends a request and returns the validated reply; an error reply comes back as the same typed error,
 * no responder or a timeout as 503.
 */
export function request<Req extends z.ZodType, Rep extends z.ZodType>(
  nc: NatsConnection,
  subject: string,
  contract: Contract<Req, Rep>,
  body: z.input<Req>,
  timeoutMs = 5000,
): Promise<z.infer<Rep>> {
  return requestEncoded(nc, subject, contract, encodeJson(body), timeoutMs);
}

/**
 * `request` with the body already encoded, for a caller that holds the JSON text of the request
 * (a client's body passed on as it came, without parsing and serialising it again).
 */
export async function requestEncoded<Rep extends z.ZodType>(
  nc: NatsConnection,
  subject: string,
  contract: Contract<z.ZodType, Rep>,
  encoded: Uint8Array,
  timeoutMs = 5000,
): Promise<z.infer<Rep>> {
  let msg: Msg;
  try {
    msg = await nc.request(subject, encoded, { timeout: timeoutMs });
  } catch (e) {
    throw unavailable(`${describe(subject)} is unavailable`, e);
  }
  const status = msg.headers?.get(STATUS_HEADER);
  const data = decodeJson(msg.data);
  if (status) {
    const { retry_after: retryAfter, ...body } = (data ?? {}) as Record<string, unknown>;
    throw AppError.fromBody(Number(status), body, typeof retryAfter === 'number' ? retryAfter : undefined);
  }
  return contract.reply.parse(data);
}

/** `ns.messages.chats.create` or `ns.messages.send` -> `The messages service`, for error messages a client may read. */
function describe(subject: string): string {
  const owner = subject.split('.').find((part) => (restServices as readonly string[]).includes(part));
  return owner ? `The ${owner} service` : 'A service';
}
