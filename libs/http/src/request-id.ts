import { randomUUID } from 'node:crypto';

/** A request id a client (or the gateway) may choose: short, and safe in a log line or a header. */
const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

/** The `x-request-id` header when it is sane, else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && SANE.test(given) ? given : randomUUID();
}
