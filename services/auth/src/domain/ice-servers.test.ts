import { describe, expect, it } from 'vitest';
import { iceServers, turnCredential } from './ice-servers.js';

const user = '8e6f0c1e-0000-4000-8000-000000000001';

describe('turnCredential', () => {
  it('is base64 HMAC-SHA1(secret, "<expiry>:<user>"), as coturn computes it', () => {
    // Computed apart from this code, with OpenSSL:
    // printf '%s' '1767225600:8e6f0c1e-0000-4000-8000-000000000001' | openssl dgst -sha1 -hmac 'north-wind-42' -binary | base64
    expect(turnCredential('north-wind-42', user, 1767225600)).toEqual({
      username: '1767225600:8e6f0c1e-0000-4000-8000-000000000001',
      credential: 'Ip154bGkbpLrfsBbUdlqDdUXT1U=',
    });
  });
});

describe('iceServers', () => {
  const base = { stunUrls: [], turnUrls: [], turnSecret: undefined, turnTtlSeconds: 86_400 };

  it('is empty with nothing configured', () => {
    expect(iceServers(base, user, 0)).toEqual({ ice_servers: [], ttl: 86_400 });
  });

  it('lists STUN, then TURN with a credential that expires a ttl from now', () => {
    const cfg = { stunUrls: ['stun:stun.example.com:3478'], turnUrls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'], turnSecret: 'north-wind-42', turnTtlSeconds: 600 };
    const now = (1767225600 - 600) * 1000 + 999;
    expect(iceServers(cfg, user, now)).toEqual({
      ice_servers: [
        { urls: ['stun:stun.example.com:3478'] },
        { urls: cfg.turnUrls, username: `1767225600:${user}`, credential: 'Ip154bGkbpLrfsBbUdlqDdUXT1U=' },
      ],
      ttl: 600,
    });
  });
});
