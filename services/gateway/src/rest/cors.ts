import { originAllowed, type OriginAllowlist } from '../transport/origin-check.js';

/** What the gateway does with a request, as far as CORS goes, and the headers every answer to it carries. */
export interface CorsDecision {
  /** pass: route it as usual; preflight: answer 204 now; refused: answer 403 now (Origin not allowed). */
  verdict: 'pass' | 'preflight' | 'refused';
  headers: readonly (readonly [string, string])[];
}

const allowMethods = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
/** Always named in a preflight's answer, asked for or not: what every client of the API sends. */
const alwaysAllowed = ['Authorization', 'Content-Type', 'X-Request-Id'];
/**
 * The request headers a page may send beyond those: standard ones that browsers or libraries add
 * (conditional and range requests, content negotiation, cache control). Anything else asked for is
 * not echoed, so the browser refuses it: a page cannot put arbitrary headers in front of the services.
 */
const alsoAllowed = new Set([
  'accept', 'accept-language', 'content-language', 'range', 'if-match', 'if-none-match', 'if-modified-since',
  'if-unmodified-since', 'if-range', 'cache-control', 'pragma', 'x-requested-with',
]);
const allowedNames = new Set([...alwaysAllowed.map((h) => h.toLowerCase()), ...alsoAllowed]);
/** Response headers a page's script may read beyond the safelisted ones. */
const exposeHeaders = 'Retry-After, X-Request-Id, Content-Range, Accept-Ranges, ETag';
/** How long a browser may reuse a preflight's answer (Chromium caps it at 2 h, Firefox at 24 h). */
const maxAgeSeconds = '600';

/** The origin decides the answer's headers, so every answer says so to caches, with or without an Origin. */
const vary = ['Vary', 'Origin'] as const;

/**
 * The gateway's CORS for one request: a preflight (OPTIONS with Origin and
 * Access-Control-Request-Method) is answered here, before routing and any token check; any request
 * whose Origin is not in ALLOWED_ORIGINS is refused; every other answer to an allowed origin names it
 * (never `*`, never with credentials: the API uses no cookies) and exposes Retry-After and X-Request-Id.
 * `headers` are the request's, lowercase names.
 */
export function corsFor(allow: OriginAllowlist, method: string, headers: Record<string, string>): CorsDecision {
  const origin = headers.origin;
  if (origin === undefined) return { verdict: 'pass', headers: [vary] };
  if (!originAllowed(allow, origin)) return { verdict: 'refused', headers: [vary] };
  const allowOrigin = ['Access-Control-Allow-Origin', origin] as const;
  if (method === 'OPTIONS' && headers['access-control-request-method'] !== undefined) {
    return {
      verdict: 'preflight',
      headers: [
        allowOrigin,
        ['Vary', 'Origin, Access-Control-Request-Headers'],
        ['Access-Control-Allow-Methods', allowMethods],
        ['Access-Control-Allow-Headers', allowHeaders(headers['access-control-request-headers'])],
        ['Access-Control-Max-Age', maxAgeSeconds],
      ],
    };
  }
  return { verdict: 'pass', headers: [allowOrigin, vary, ['Access-Control-Expose-Headers', exposeHeaders]] };
}

/** Authorization, Content-Type and X-Request-Id, then each other requested header that is allowed. */
function allowHeaders(requested: string | undefined): string {
  const names = new Set(alwaysAllowed.map((h) => h.toLowerCase()));
  const out = [...alwaysAllowed];
  for (const raw of (requested ?? '').split(',')) {
    const name = raw.trim().toLowerCase();
    if (!allowedNames.has(name) || names.has(name)) continue;
    names.add(name);
    out.push(name);
  }
  return out.join(', ');
}

/** A response header that is CORS's (Access-Control-*): the gateway writes its own, an upstream's are dropped. */
export function isCorsHeader(name: string): boolean {
  return name.startsWith('access-control-');
}
