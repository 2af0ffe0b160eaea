import type { Request } from 'express';
import { normalizeIp, type Networks } from './ip.js';

/** The default peers whose X-Forwarded-For is believed: a service binds 127.0.0.1 and only the gateway beside it reaches it. */
export const LOOPBACK_PEERS = '127.0.0.1/32,::1/128';

/**
 * The client's address as the edge saw it. The gateway appends the address of the peer it accepted
 * to `X-Forwarded-For`, so its last hop is the one to believe, but only when the request came from
 * the gateway (a peer in `trusted`, libs/http parseNetworks): a client that reaches the service directly gets its own socket
 * address, whatever header it sends. Without `trusted`, the header is never read.
 */
export function clientAddress(req: Request, trusted?: Networks): string {
  const peer = normalizeAddress(req.socket.remoteAddress ?? 'unknown');
  if (trusted?.has(peer)) {
    const header = req.headers['x-forwarded-for'];
    const joined = Array.isArray(header) ? header.join(',') : header;
    const last = joined?.split(',').map((s) => s.trim()).filter(Boolean).pop();
    if (last) return normalizeAddress(last);
  }
  return peer;
}

/** An address in its one form (libs/http ip.ts: `::ffff:1.2.3.4` is `1.2.3.4`, IPv6 compressed); other text cut to a sane key. */
export function normalizeAddress(address: string): string {
  return normalizeIp(address) ?? address.trim().toLowerCase().slice(0, 64);
}
