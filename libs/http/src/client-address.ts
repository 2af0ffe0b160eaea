import { BlockList, isIP } from 'node:net';
import type { Request } from 'express';
import { normalizeIp } from './ip.js';

/** Peers whose X-Forwarded-For is believed: the gateway's addresses (loopback by default). */
export type TrustedPeers = BlockList;

/** The default: a service binds 127.0.0.1 and only the gateway beside it reaches it. */
export const LOOPBACK_PEERS = '127.0.0.1/32,::1/128';

/**
 * Parses a comma-separated list of CIDRs (`10.0.0.0/8,fd00::/8`) or bare addresses; throws on a
 * malformed entry, naming it, so a config can turn that into its one-line error.
 */
export function trustedPeers(list: string): TrustedPeers {
  const peers = new BlockList();
  for (const entry of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
      throw new Error(`not an address or CIDR: ${entry}`);
    }
    peers.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return peers;
}

/**
 * The client's address as the edge saw it. The gateway appends the address of the peer it accepted
 * to `X-Forwarded-For`, so its last hop is the one to believe, but only when the request came from
 * the gateway (a `trusted` peer): a client that reaches the service directly gets its own socket
 * address, whatever header it sends. Without `trusted`, the header is never read.
 */
export function clientAddress(req: Request, trusted?: TrustedPeers): string {
  const peer = normalizeAddress(req.socket.remoteAddress ?? 'unknown');
  if (trusted && isTrusted(trusted, peer)) {
    const header = req.headers['x-forwarded-for'];
    const joined = Array.isArray(header) ? header.join(',') : header;
    const last = joined?.split(',').map((s) => s.trim()).filter(Boolean).pop();
    if (last) return normalizeAddress(last);
  }
  return peer;
}

function isTrusted(trusted: TrustedPeers, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** An address in its one form (libs/http ip.ts: `::ffff:1.2.3.4` is `1.2.3.4`, IPv6 compressed); other text cut to a sane key. */
export function normalizeAddress(address: string): string {
  return normalizeIp(address) ?? address.trim().toLowerCase().slice(0, 64);
}
