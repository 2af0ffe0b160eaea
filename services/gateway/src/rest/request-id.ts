import { randomUUID } from 'node:crypto';

const sane = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: a client's own when it is sane (≤ 128 of [A-Za-z0-9._:-]), else a new one. */
export function requestIdFor(given: string | undefined): string {
  return given !== undefined && sane.test(given) ? given : randomUUID();
}
