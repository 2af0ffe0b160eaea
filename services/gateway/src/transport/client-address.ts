import { normalizeIp, type Networks } from '@chatroulette/http/ip';

/**
 * The client's address, for the per-address caps and the X-Forwarded-For sent upstream: the peer's,
 * unless the peer is a trusted proxy (TRUSTED_PROXIES). Then X-Forwarded-For is read from the right,
 * past every trusted hop, and the first untrusted one is the client: hops further left are whatever
 * the client itself wrote. A hop that is not an address ends the walk at the last proxy believed.
 */
export function clientAddress(peerText: string, forwardedFor: string | undefined, trusted: Networks): string {
  const peer = normalizeIp(peerText) ?? peerText;
  if (!forwardedFor || !trusted.has(peer)) return peer;
  let client = peer;
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]!);
    if (hop === null) return client;
    client = hop;
    if (!trusted.has(hop)) return hop;
  }
  // Every hop is a trusted proxy: the left-most is as far as anyone can see.
  return client;
}

/** uWS gives the peer's address as text in an ArrayBuffer. */
export function peerAddress(res: { getRemoteAddressAsText(): ArrayBuffer }): string {
  return Buffer.from(res.getRemoteAddressAsText()).toString();
}
