/**
 * The browser origins allowed to call the gateway, REST (CORS) and socket upgrades alike: null allows
 * every origin (ALLOWED_ORIGINS unset or `*`). A request without an Origin header (not a browser:
 * apps, servers, tests) is always allowed: the check protects users' browsers from other sites using
 * the API in their name, which a non-browser client can do anyway.
 */
export type OriginAllowlist = ReadonlySet<string> | null;

/**
 * The serialized origin of a page with no origin of its own (opened from `file://`, a sandboxed
 * iframe): browsers send it as the literal `Origin: null`, and ALLOWED_ORIGINS lists it the same way.
 */
export const opaqueOrigin = 'null';

/** Parses `ALLOWED_ORIGINS`: comma-separated http(s) origins and `null`, or `*` / empty for all. Throws on a bad entry. */
export function parseAllowedOrigins(raw: string | undefined): OriginAllowlist {
  const items = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0 || items.includes('*')) return null;
  return new Set(
    items.map((item) => {
      if (item === opaqueOrigin) return opaqueOrigin;
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

/** Whether a request with this Origin header ('' when absent) may proceed. */
export function originAllowed(allow: OriginAllowlist, header: string): boolean {
  if (allow === null || header === '') return true;
  if (header === opaqueOrigin) return allow.has(opaqueOrigin);
  const origin = normalizeOrigin(header);
  return origin !== null && allow.has(origin);
}
