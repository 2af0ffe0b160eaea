import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * A textual IP address in its one canonical form, or null when it is not one: IPv4 in dotted
 * decimal (only the strict four-part form: `127.1` or `0x7f.0.0.1` are refused), IPv6 compressed
 * and lowercase (RFC 5952), an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, as dual-stack sockets
 * report IPv4 peers) as its IPv4 address. A zone (`fe80::1%eth0`) is dropped.
 */
export function normalizeIp(text: string): string | null {
  const parsed = parseIp(text);
  return parsed ? show(parsed) : null;
}

function parseIp(text: string): Address | null {
  const raw = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(raw)) return ipaddr.IPv4.parse(raw);
  if (!ipaddr.IPv6.isValid(raw)) return null;
  const v6 = ipaddr.IPv6.parse(raw);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

function show(a: Address): string {
  if (a.kind() === 'ipv4') return a.toString();
  const v6 = a as ipaddr.IPv6;
  return new ipaddr.IPv6(v6.parts).toRFC5952String();
}

/**
 * The key per-address measures count under: an IPv4 address itself, an IPv6 address's /64 (what
 * one subscriber is usually given, so rotating through it does not make new clients). Text that
 * is not an address is its own bucket (cut to 64 characters).
 */
export function addressBucket(ip: string): string {
  const parsed = parseIp(ip);
  if (!parsed) return ip.slice(0, 64);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toRFC5952String()}/64`;
}

/** A list of networks (CIDRs), IPv4 and IPv6; a bare address is a network of one. */
export interface Networks {
  readonly size: number;
  has(ip: string): boolean;
}

/**
 * Parses comma-separated CIDRs (`10.0.0.0/8, 2001:db8::/32, 127.0.0.1`); throws on an entry that
 * is none. An IPv4-mapped IPv6 peer matches the IPv4 networks.
 */
export function parseNetworks(list: string): Networks {
  const nets: [Address, number][] = [];
  for (const entry of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    nets.push(parseNetwork(entry));
  }
  return {
    size: nets.length,
    has(ip) {
      if (nets.length === 0) return false;
      const a = parseIp(ip);
      return a !== null && nets.some(([net, bits]) => net.kind() === a.kind() && a.match(net, bits));
    },
  };
}

function parseNetwork(entry: string): [Address, number] {
  const [addr, bits, ...rest] = entry.split('/');
  const a = parseIp(addr ?? '');
  if (!a || rest.length > 0) throw new Error(`not an IP network: ${entry.slice(0, 100)}`);
  const max = a.kind() === 'ipv4' ? 32 : 128;
  if (bits === undefined) return [a, max];
  // A mapped IPv6 network given as ::ffff:a.b.c.d/120 is the IPv4 network a.b.c.d/24.
  const mapped = a.kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(addr!.trim());
  const n = Number(bits) - (mapped ? 96 : 0);
  if (!/^\d{1,3}$/.test(bits) || n < 0 || n > max) throw new Error(`bad prefix length in ${entry.slice(0, 100)}`);
  return [a, n];
}
