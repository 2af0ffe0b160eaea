import { isIPv6 } from 'node:net';

/**
 * The budget key of a peer address: IPv4 as is (also when uWS writes it IPv4-mapped), IPv6 by its
 * /64, the block one subscriber usually holds, so an address cannot be changed for a fresh budget.
 */
export function addressKey(text: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped) return mapped[1]!;
  if (!isIPv6(text)) return text;
  const [head = '', tail = ''] = text.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = text.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
