import { z } from 'zod';

/** Ids are UUIDs; anything else in a path, a query or a payload is bad input. (No `i` flag: the documents' JSON Schema pattern says exactly this.) */
export const uuid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a UUID')
  .meta({ format: 'uuid' });

export function isUuid(value: unknown): value is string {
  return uuid.safeParse(value).success;
}

/** RFC 3339 UTC string, as the contract writes times. */
export const isoTime = z.string().meta({ format: 'date-time' });
export type IsoTime = string;

export function toIso(value: Date | null | undefined): IsoTime | null {
  return value ? value.toISOString() : null;
}
