import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@chatroulette/config';
import { generatePrivateKeyPem } from '@chatroulette/tokens';
import { configFromEnv } from './config.js';

describe('configFromEnv', () => {
  it('defaults everything (with AUTH_DEV_KEY=1, as no key is set)', () => {
    const { trustedProxies, ...rest } = configFromEnv({ AUTH_DEV_KEY: '1' });
    expect(trustedProxies.has('127.0.0.1')).toBe(true);
    expect(trustedProxies.has('10.0.0.1')).toBe(false);
    expect(rest).toEqual({
      port: 3001,
      host: '127.0.0.1',
      nats: { servers: ['nats://127.0.0.1:4222'], auth: undefined, tls: undefined },
      natsNamespace: '',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432',
      databaseName: 'chatroulette_auth',
      databasePoolSize: 10,
      logLevel: 'info',
      passwordHashCost: 15,
      tokenTtlSeconds: 86_400,
      privateKeyPem: undefined,
      presenceSweepMs: 5000,
      loginFreeFailures: 5,
      loginFreeFailuresPerAddress: 20,
      loginLockoutFirstSeconds: 1,
      loginLockoutMaxSeconds: 300,
      loginFailureWindowSeconds: 900,
      loginAddressDelayMaxSeconds: 5,
      budgets: { registerPerAddress: 10, register: 600, loginPerAddress: 60, login: 6000 },
      maxPendingHashes: 32,
      ice: { stunUrls: [], turnUrls: [], turnSecret: undefined, turnTtlSeconds: 86_400 },
      streamReplicas: 1,
    });
  });

  it('reads the ICE servers, and wants the TURN secret with TURN servers', () => {
    const env = { AUTH_DEV_KEY: '1', STUN_URLS: 'stun:a.example:3478, stuns:b.example', TURN_URLS: 'turn:a.example:3478?transport=udp,turns:a.example:5349', TURN_SECRET: 'x'.repeat(16), TURN_TTL_SECONDS: '600' };
    expect(configFromEnv(env).ice).toEqual({
      stunUrls: ['stun:a.example:3478', 'stuns:b.example'],
      turnUrls: ['turn:a.example:3478?transport=udp', 'turns:a.example:5349'],
      turnSecret: 'x'.repeat(16),
      turnTtlSeconds: 600,
    });
    expect(() => configFromEnv({ ...env, TURN_SECRET: undefined })).toThrow(/^Configuration error: TURN_SECRET is required with TURN_URLS/);
  });

  it('refuses to start without a signing key unless AUTH_DEV_KEY=1, in one line', () => {
    expect(() => configFromEnv({})).toThrow(ConfigError);
    expect(() => configFromEnv({})).toThrow(/^Configuration error: set AUTH_PRIVATE_KEY or AUTH_PRIVATE_KEY_FILE \(or AUTH_DEV_KEY=1[^\n]*$/);
    expect(configFromEnv({ AUTH_DEV_KEY: '1' }).privateKeyPem).toBeUndefined();
  });

  it('reads the key from AUTH_PRIVATE_KEY (with \\n escapes) or from AUTH_PRIVATE_KEY_FILE', () => {
    const pem = generatePrivateKeyPem();
    expect(configFromEnv({ AUTH_PRIVATE_KEY: pem.replace(/\n/g, '\\n') }).privateKeyPem).toBe(pem);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'auth-key-')), 'key.pem');
    writeFileSync(file, pem);
    expect(configFromEnv({ AUTH_PRIVATE_KEY_FILE: file }).privateKeyPem).toBe(pem);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT is invalid/],
    [{ PASSWORD_HASH_COST: '30' }, /PASSWORD_HASH_COST is invalid/],
    [{ TOKEN_TTL_SECONDS: '-1' }, /TOKEN_TTL_SECONDS is invalid/],
    [{ AUTH_PRIVATE_KEY: 'not a key' }, /AUTH_PRIVATE_KEY is invalid/],
    [{ AUTH_PRIVATE_KEY_FILE: '/nonexistent/key.pem' }, /AUTH_PRIVATE_KEY_FILE is invalid/],
    [{ AUTH_PRIVATE_KEY: 'x', AUTH_PRIVATE_KEY_FILE: 'y' }, /not both/],
    [{ NATS_URL: 'http://x' }, /NATS_URL is invalid/],
    [{ TRUSTED_PROXIES: '10.0.0.0/99' }, /TRUSTED_PROXIES is invalid/],
    [{ STUN_URLS: 'turn:a.example' }, /STUN_URLS is invalid/],
    [{ TURN_URLS: 'https://a.example', TURN_SECRET: 'x'.repeat(16) }, /TURN_URLS is invalid/],
    [{ TURN_SECRET: 'short' }, /TURN_SECRET is invalid/],
    [{ TURN_TTL_SECONDS: '10' }, /TURN_TTL_SECONDS is invalid/],
    [{ TOKEN_TTL_SECONDS: String(8 * 86_400) }, /TOKEN_TTL_SECONDS is invalid/],
  ])('fails with one line naming the variable: %o', (env, message) => {
    expect(() => configFromEnv({ AUTH_DEV_KEY: '1', ...env })).toThrow(ConfigError);
    expect(() => configFromEnv({ AUTH_DEV_KEY: '1', ...env })).toThrow(message);
  });
});
