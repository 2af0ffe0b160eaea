/**
 * The demo page's rules: its scripts and styles from this origin only (Vite writes no inline ones);
 * fetches and the WebSocket to this origin ('self' covers ws:/wss: of the same host); images and
 * media from this origin (the uploads) and blob: (a file picked before it is sent); nothing framed,
 * no plugins. The camera and microphone of a call are this origin's alone (Permissions-Policy).
 */
export const pageCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export const pageHeaders = {
  'Content-Security-Policy': pageCsp,
  'Permissions-Policy': 'camera=(self), microphone=(self), geolocation=(), payment=()',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * Vite puts a hash of the content in every file name under assets/: a browser may keep those
 * for a year. The page itself is revalidated on every load (its ETag), so a new build shows at once.
 */
export function cacheControlOf(urlPath: string): string {
  if (urlPath.startsWith('/assets/')) return 'public, max-age=31536000, immutable';
  if (urlPath === '/' || urlPath.endsWith('.html')) return 'no-cache';
  return 'public, max-age=300';
}
