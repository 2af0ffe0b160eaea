import type { Request } from 'express';

/**
 * The client's address as the edge saw it. The gateway appends the address of the peer it accepted
 * to `X-Forwarded-For`, so the last hop is the one to believe; earlier hops are whatever the client
 * sent. This trusts the header, so it is only right for a service reachable through the gateway
 * alone; with `trustForwarded` false the socket's own peer address is used.
 */
export function clientAddress(req: Request, trustForwarded = true): string {
  if (trustForwarded) {
    const header = req.headers['x-forwarded-for'];
    const joined = Array.isArray(header) ? header.join(',') : header;
    const last = joined?.split(',').map((s) => s.trim()).filter(Boolean).pop();
    if (last) return normalize(last);
  }
  return normalize(req.socket.remoteAddress ?? 'unknown');
}

/** `::ffff:1.2.3.4` and `1.2.3.4` are one client; long values are cut so they stay a sane key. */
function normalize(address: string): string {
  const a = address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  return a.slice(0, 64);
}
