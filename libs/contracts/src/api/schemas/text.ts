import { z } from 'zod';

// No control characters in a one-line text; in a longer text only newlines and tabs.
const LINE_CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** One line of text: no control character at all. */
export const noLineControl = (v: string) => !LINE_CONTROL.test(v);
/** A text: no control character but newlines and tabs. */
export const noControl = (v: string) => !CONTROL.test(v);

export function httpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isCalendarDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** A real calendar date, YYYY-MM-DD, from 1900 to today (UTC). */
export const birthday = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(isCalendarDate, 'must be a real date')
  .refine((v) => v >= '1900-01-01' && v <= new Date().toISOString().slice(0, 10), 'must be between 1900-01-01 and today')
  .meta({ format: 'date' });

/** A whole number in a query string, 0 to `max`. */
export const digits = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(max));
