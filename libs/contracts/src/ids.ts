import { z } from 'zod';

/** Ids are UUIDs; anything else in a path, a query or a payload is bad input. */
export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');

export function isUuid(value: unknown): value is string {
  return uuid.safeParse(value).success;
}

/** RFC 3339 UTC string, as the contract writes times. */
export const isoTime = z.string();
export type IsoTime = string;

export function toIso(value: Date | null | undefined): IsoTime | null {
  return value ? value.toISOString() : null;
}
