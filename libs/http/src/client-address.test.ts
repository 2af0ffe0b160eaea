import { describe, expect, it } from 'vitest';
import type { Request } from 'express';
import { clientAddress, LOOPBACK_PEERS, normalizeAddress } from './client-address.js';
import { parseNetworks } from './ip.js';

const req = (peer: string, xff?: string) => ({ socket: { remoteAddress: peer }, headers: xff ? { 'x-forwarded-for': xff } : {} }) as unknown as Request;

describe('clientAddress', () => {
  const loopback = parseNetworks(LOOPBACK_PEERS);

  it('takes the last X-Forwarded-For hop only from a trusted peer', () => {
    expect(clientAddress(req('127.0.0.1', '6.6.6.6, 198.51.100.7'), loopback)).toBe('198.51.100.7');
    expect(clientAddress(req('::ffff:127.0.0.1', '198.51.100.7'), loopback)).toBe('198.51.100.7');
    expect(clientAddress(req('::1', '198.51.100.8'), loopback)).toBe('198.51.100.8');
    // A client reaching the service directly cannot choose its address.
    expect(clientAddress(req('203.0.113.9', '198.51.100.7'), loopback)).toBe('203.0.113.9');
    expect(clientAddress(req('127.0.0.1', '198.51.100.7'))).toBe('127.0.0.1');
    expect(clientAddress(req('127.0.0.1'), loopback)).toBe('127.0.0.1');
  });

  it('trusts the configured networks, and refuses a malformed entry', () => {
    const compose = parseNetworks('172.18.0.0/16, fd00::/8');
    expect(clientAddress(req('172.18.4.2', '198.51.100.7'), compose)).toBe('198.51.100.7');
    expect(clientAddress(req('fd00::5', '198.51.100.7'), compose)).toBe('198.51.100.7');
    expect(clientAddress(req('172.19.0.1', '198.51.100.7'), compose)).toBe('172.19.0.1');
    expect(() => parseNetworks('10.0.0.0/33')).toThrow('10.0.0.0/33');
    expect(() => parseNetworks('gateway')).toThrow('gateway');
  });
});

describe('normalizeAddress', () => {
  it('normalises mapped IPv4, case and zones', () => {
    expect(normalizeAddress('::FFFF:1.2.3.4')).toBe('1.2.3.4');
    expect(normalizeAddress('FE80::1%eth0')).toBe('fe80::1');
  });

});
