import { describe, expect, it } from 'vitest';
import { addressBucket, normalizeIp, parseNetworks } from './ip.js';

describe('normalizeIp', () => {
  it('gives one form for every spelling of an IPv6 address', () => {
    for (const spelling of ['2001:db8::1', '2001:DB8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8:0:0:0:0:0:1', ' 2001:db8::0:1 ']) {
      expect(normalizeIp(spelling), spelling).toBe('2001:db8::1');
    }
    expect(normalizeIp('0000:0000:0000:0000:0000:0000:0000:0001')).toBe('::1');
    expect(normalizeIp('fe80::1%eth0')).toBe('fe80::1');
  });

  it('reads an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(normalizeIp('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(normalizeIp('::FFFF:cb00:7107')).toBe('203.0.113.7');
    expect(normalizeIp('0000:0000:0000:0000:0000:ffff:7f00:0001')).toBe('127.0.0.1');
    expect(normalizeIp('203.0.113.7')).toBe('203.0.113.7');
  });

  it('refuses what is not an address, and the loose IPv4 forms', () => {
    for (const bad of ['', 'unknown', '127.1', '0x7f.0.0.1', '1.2.3.4:80', '[::1]', '1.2.3.256', '::g', '1.2.3.4, 5.6.7.8']) {
      expect(normalizeIp(bad), bad).toBeNull();
    }
  });
});

describe('addressBucket', () => {
  it('is the address itself for IPv4, mapped or not', () => {
    expect(addressBucket('198.51.100.9')).toBe('198.51.100.9');
    expect(addressBucket('::ffff:198.51.100.9')).toBe('198.51.100.9');
    expect(addressBucket('198.51.100.10')).not.toBe(addressBucket('198.51.100.9'));
  });

  it('is the /64 for IPv6, whatever the spelling', () => {
    const a = addressBucket('2001:db8:1:2:aaaa:bbbb:cccc:dddd');
    expect(a).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:0DB8:0001:0002:0000:0000:0000:0001')).toBe(a);
    expect(addressBucket('2001:db8:1:3::1')).not.toBe(a);
  });

  it('keeps text that is not an address as its own, short key', () => {
    expect(addressBucket('unknown')).toBe('unknown');
    expect(addressBucket('x'.repeat(200))).toHaveLength(64);
  });
});

describe('parseNetworks', () => {
  it('matches IPv4 and IPv6 CIDRs and bare addresses', () => {
    const nets = parseNetworks('10.0.0.0/8, 192.168.1.1, 2001:db8::/32, ::1');
    expect(nets.size).toBe(4);
    for (const ip of ['10.1.2.3', '192.168.1.1', '2001:db8:ffff::5', '::1', '::ffff:10.9.9.9', '2001:0db8::1']) expect(nets.has(ip), ip).toBe(true);
    for (const ip of ['11.0.0.1', '192.168.1.2', '2001:db9::1', '::2', 'garbage', '']) expect(nets.has(ip), ip).toBe(false);
  });

  it('is empty for an empty list, and matches nothing then', () => {
    const nets = parseNetworks(' , ');
    expect(nets.size).toBe(0);
    expect(nets.has('127.0.0.1')).toBe(false);
  });

  it('takes a mapped IPv6 network as its IPv4 network', () => {
    const nets = parseNetworks('::ffff:10.0.0.0/104');
    expect(nets.has('10.200.0.1')).toBe(true);
    expect(nets.has('11.0.0.1')).toBe(false);
  });

  it('throws on an entry that is not a network', () => {
    for (const bad of ['10.0.0.0/33', '::/129', 'example.com', '10.0.0.0/8/1', '10.0.0.0/x', '10.1/8']) {
      expect(() => parseNetworks(bad), bad).toThrow();
    }
  });
});
