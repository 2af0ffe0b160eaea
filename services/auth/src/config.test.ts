import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@chatroulette/config';
import { generatePrivateKeyPem } from '@chatroulette/tokens';
import { configFromEnv } from './config.js';

describe('configFromEnv', () => {
  it('defaults everything', () => {
    expect(configFromEnv({})).toEqual({
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
      loginLockoutMaxSeconds: 300,
      loginFailureWindowSeconds: 900,
      trustForwardedFor: true,
    });
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
  ])('fails with one line naming the variable: %o', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(ConfigError);
    expect(() => configFromEnv(env)).toThrow(message);
  });
});
