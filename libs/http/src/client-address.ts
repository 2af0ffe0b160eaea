import { BlockList, isIP } from 'node:net';
import type { Request } from 'express';

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

/** `::ffff:1.2.3.4` and `1.2.3.4` are one client; an IPv6 zone is dropped; long values are cut so they stay a sane key. */
export function normalizeAddress(address: string): string {
  const a = address.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = a.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  return (mapped ? mapped[1]! : a).slice(0, 64);
}

/**
 * The key an address is counted under (lockouts, budgets): an IPv4 address as it is, an IPv6 one by
 * its /64 (one subscriber usually holds a whole /64, so counting single addresses would let it rotate
 * through 2^64 of them). Anything that is no address is kept as it is (normalised).
 */
export function addressBucket(address: string): string {
  const a = normalizeAddress(address);
  if (isIP(a) !== 6) return a;
  const groups = expandIPv6(a);
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, an IPv4 tail as two groups). */
function expandIPv6(address: string): number[] {
  let text = address;
  const v4 = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (v4) {
    const [b0, b1, b2, b3] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (s: string) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
}
