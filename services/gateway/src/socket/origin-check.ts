/**
 * The browser origins allowed to open a socket: null allows every origin (ALLOWED_ORIGINS unset or `*`).
 * A request without an Origin header (not a browser: apps, servers, tests) is always allowed: the
 * check protects users' browsers from other sites opening sockets with their credentials, which a
 * non-browser client can do anyway.
 */
export type OriginAllowlist = ReadonlySet<string> | null;

/** Parses `ALLOWED_ORIGINS`: comma-separated http(s) origins, or `*` / empty for all. Throws on a bad entry. */
export function parseAllowedOrigins(raw: string | undefined): OriginAllowlist {
  const items = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0 || items.includes('*')) return null;
  return new Set(
    items.map((item) => {
      const origin = normalizeOrigin(item);
      if (!origin) throw new Error(`"${item}" is not an http(s) origin`);
      return origin;
    }),
  );
}

/** `https://App.example.com:443/` -> `https://app.example.com`; null for anything that is not an http(s) origin. */
function normalizeOrigin(value: string): string | null {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin;
  } catch {
    return null;
  }
}

/** Whether an upgrade with this Origin header ('' when absent) may proceed. */
export function originAllowed(allow: OriginAllowlist, header: string): boolean {
  if (allow === null || header === '') return true;
  const origin = normalizeOrigin(header);
  return origin !== null && allow.has(origin);
}
