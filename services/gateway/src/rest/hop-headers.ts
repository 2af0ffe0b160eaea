/** Headers that belong to one connection, never forwarded by a proxy (RFC 9110 7.6.1), plus host. */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'http2-settings',
]);

/** Header names to drop: the hop-by-hop ones and those the Connection header lists. */
export function droppedHeaders(connectionHeader: string | undefined): Set<string> {
  if (!connectionHeader) return hopByHop;
  const extra = connectionHeader.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  return extra.length ? new Set([...hopByHop, ...extra]) : hopByHop;
}

/** Response headers uWS writes itself, which must not appear twice. */
export const uwsOwnResponseHeaders = new Set(['content-length', 'date', 'uwebsockets']);
