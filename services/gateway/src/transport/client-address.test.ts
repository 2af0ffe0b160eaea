import { describe, expect, it } from 'vitest';
import { parseNetworks } from '@chatroulette/http/ip';
import { clientAddress } from './client-address.js';

const none = parseNetworks('');
const proxies = parseNetworks('10.0.0.0/8, 2001:db8:ff::/48, 127.0.0.1');

describe('clientAddress', () => {
  it('is the peer when no proxy is trusted, whatever the header says', () => {
    expect(clientAddress('198.51.100.7', '203.0.113.1', none)).toBe('198.51.100.7');
    expect(clientAddress('0000:0000:0000:0000:0000:ffff:c633:6407', '203.0.113.1', none)).toBe('198.51.100.7');
  });

  it('is the peer when the peer is not a trusted proxy', () => {
    expect(clientAddress('198.51.100.7', '203.0.113.1, 10.0.0.1', proxies)).toBe('198.51.100.7');
  });

  it('takes the right-most untrusted hop behind trusted proxies', () => {
    expect(clientAddress('10.0.0.2', '203.0.113.1', proxies)).toBe('203.0.113.1');
    expect(clientAddress('10.0.0.2', '6.6.6.6, 203.0.113.1, 10.1.1.1', proxies)).toBe('203.0.113.1');
    expect(clientAddress('::ffff:127.0.0.1', '2001:DB8:0:0::9', proxies)).toBe('2001:db8::9');
    expect(clientAddress('2001:db8:ff:1::1', '198.51.100.3', proxies)).toBe('198.51.100.3');
  });

  it('stops at the last believed proxy on a hop that is not an address', () => {
    expect(clientAddress('10.0.0.2', '203.0.113.1, garbage', proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '203.0.113.1, unknown, 10.0.0.3', proxies)).toBe('10.0.0.3');
  });

  it('is the left-most hop when every hop is trusted, and the peer without a header', () => {
    expect(clientAddress('10.0.0.2', '10.0.0.9, 10.0.0.8', proxies)).toBe('10.0.0.9');
    expect(clientAddress('10.0.0.2', undefined, proxies)).toBe('10.0.0.2');
  });
});
