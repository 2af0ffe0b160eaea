/**
 * How long until a token expiring at `expiresAt` (ms) should be renewed: `renewBeforeMs` before it,
 * but never later than two thirds into what is left (a short-lived token still gets its renewal in
 * time); 0 when that is already past.
 */
export function renewDelay(expiresAt: number, now: number, renewBeforeMs: number): number {
  const left = expiresAt - now;
  return Math.max(0, left - Math.min(renewBeforeMs, left / 3));
}
