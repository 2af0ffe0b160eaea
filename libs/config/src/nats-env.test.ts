import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { natsConnection, natsEnv, type NatsEnvValues } from './nats-env.js';
import { natsEnvForService } from './nats-service-env.js';
import { readConfig } from './read-config.js';

/** What a service gets: readConfig of the NATS variables, then the connection config. */
const fromEnv = (env: Record<string, string>) => natsConnection(readConfig(natsEnv, env) as NatsEnvValues);
const dir = mkdtempSync(path.join(tmpdir(), 'nats-env-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const seed = 'SUAGTD362C23KEE5BIALK4GEKRNSCCABTAENB2HIMGEWW4BRXXDWVVFIHY';

describe('NATS_URL', () => {
  it('takes several comma-separated servers (the whole list is not one URL)', () => {
    expect(fromEnv({ NATS_URL: 'nats://a.example:4222, nats://b.example:4223,nats://10.0.0.3' })).toEqual({
      servers: ['nats://a.example:4222', 'nats://b.example:4223', 'nats://10.0.0.3'],
      auth: undefined,
      tls: undefined,
    });
  });

  it('uses the credentials a URL carries instead of dropping them: user:password@ or token@', () => {
    expect(fromEnv({ NATS_URL: 'nats://gateway:p%40ss@a:4222,nats://b:4222' })).toMatchObject({
      servers: ['nats://a:4222', 'nats://b:4222'],
      auth: { kind: 'user', user: 'gateway', password: 'p@ss' },
    });
    expect(fromEnv({ NATS_URL: 'nats://s3cr3t@a:4222' }).auth).toEqual({ kind: 'token', token: 's3cr3t' });
  });

  it('requires TLS for tls:// servers', () => {
    expect(fromEnv({ NATS_URL: 'tls://a:4222,tls://b:4222' }).tls).toEqual({});
  });

  it.each([
    ['http://a:4222', /NATS_URL is invalid \(must be a nats: or tls: URL/],
    ['ws://a:443', /the Node client speaks no WebSocket/],
    ['nats://a:4222,tls://b:4222', /mixes nats:\/\/ and tls:\/\//],
    ['nats://u:one@a,nats://u:two@b', /different credentials/],
    ['nats://a:4222/path', /no path or query/],
    [' , ', /names no server/],
  ])('refuses %s in one line naming NATS_URL', (url, message) => {
    expect(() => fromEnv({ NATS_URL: url })).toThrow(ConfigError);
    expect(() => fromEnv({ NATS_URL: url })).toThrow(message);
  });

  it('never repeats a password in its error', () => {
    expect(() => fromEnv({ NATS_URL: 'nats://u:hunter2@a:4222/x' })).toThrow(/nats:\/\/\*\*\*@a:4222\/x/);
    expect(() => fromEnv({ NATS_URL: 'nats://u:hunter2@a:4222/x' })).not.toThrow(/hunter2/);
  });
});

describe('NATS credentials', () => {
  it('reads a user and password, a token, a creds file or an nkey seed', () => {
    expect(fromEnv({ NATS_USER: 'auth', NATS_PASSWORD: 'pw' }).auth).toEqual({ kind: 'user', user: 'auth', password: 'pw' });
    expect(fromEnv({ NATS_TOKEN: 't0k' }).auth).toEqual({ kind: 'token', token: 't0k' });
    const creds = file('user.creds', '-----BEGIN NATS USER JWT-----\neyJ0\n------END NATS USER JWT------\n-----BEGIN USER NKEY SEED-----\nSUAx\n------END USER NKEY SEED------\n');
    const read = fromEnv({ NATS_CREDS: creds }).auth;
    expect(read).toMatchObject({ kind: 'creds', file: creds });
    expect(new TextDecoder().decode((read as { creds: Uint8Array }).creds)).toContain('BEGIN NATS USER JWT');
    expect(fromEnv({ NATS_NKEY_SEED: seed }).auth).toEqual({ kind: 'nkey', seed });
  });

  it.each([
    [{ NATS_TOKEN: 't', NATS_USER: 'u', NATS_PASSWORD: 'p' }, 'NATS_USER/NATS_PASSWORD and NATS_TOKEN are all set'],
    [{ NATS_URL: 'nats://u:p@a:4222', NATS_USER: 'u', NATS_PASSWORD: 'p' }, 'credentials in NATS_URL and NATS_USER/NATS_PASSWORD'],
    [{ NATS_URL: 'nats://tok@a:4222', NATS_NKEY_SEED: seed }, 'credentials in NATS_URL and NATS_NKEY_SEED'],
    [{ NATS_TOKEN: 't', NATS_CREDS: '/nowhere' }, 'NATS_TOKEN and NATS_CREDS'],
    [{ NATS_USER: 'u' }, 'NATS_PASSWORD is required with NATS_USER'],
    [{ NATS_PASSWORD: 'p' }, 'NATS_USER is required with NATS_PASSWORD'],
    [{ NATS_CREDS: '/nowhere/user.creds' }, 'NATS_CREDS is invalid (ENOENT'],
    [{ NATS_CREDS: file('not.creds', 'hello') }, 'is not a NATS creds file'],
    [{ NATS_NKEY_SEED: 'UDCKBSUTM2MN4CMD4HL6BX42WZHOHPB4NXDLGEVJFOL4JWTBWLXRCF37' }, 'NATS_NKEY_SEED is invalid'],
  ])('refuses %o, naming the variables', (env, message) => {
    expect(() => fromEnv(env)).toThrow(ConfigError);
    expect(() => fromEnv(env)).toThrow(message);
  });
});

describe('NATS TLS files', () => {
  const ca = file('ca.pem', 'ca');
  const cert = file('cert.pem', 'cert');
  const key = file('key.pem', 'key');

  it('requires TLS as soon as one is set, even on a nats:// URL', () => {
    expect(fromEnv({ NATS_TLS_CA: ca }).tls).toEqual({ caFile: ca });
    expect(fromEnv({ NATS_TLS_CA: ca, NATS_TLS_CERT: cert, NATS_TLS_KEY: key }).tls).toEqual({ caFile: ca, certFile: cert, keyFile: key });
  });

  it.each([
    [{ NATS_TLS_CA: '/nowhere/ca.pem' }, 'NATS_TLS_CA is invalid (ENOENT'],
    [{ NATS_TLS_CERT: cert }, 'NATS_TLS_KEY is required with NATS_TLS_CERT'],
    [{ NATS_TLS_KEY: key }, 'NATS_TLS_CERT is required with NATS_TLS_KEY'],
  ])('refuses %o', (env, message) => {
    expect(() => fromEnv(env)).toThrow(ConfigError);
    expect(() => fromEnv(env)).toThrow(message);
  });
});

describe('natsEnvForService (npm start)', () => {
  const common = { NATS_URL: 'nats://a:4222', NATS_TOKEN: 'shared', LOG_LEVEL: 'info' };

  it("puts a service's own user in place of the common credentials", () => {
    const env = natsEnvForService('gateway', { ...common, NATS_GATEWAY_USER: 'gateway', NATS_GATEWAY_PASSWORD: 'gw-pw', NATS_AUTH_USER: 'auth', NATS_AUTH_PASSWORD: 'a' });
    expect(env).toMatchObject({ NATS_URL: 'nats://a:4222', NATS_USER: 'gateway', NATS_PASSWORD: 'gw-pw', LOG_LEVEL: 'info' });
    expect(env.NATS_TOKEN).toBeUndefined();
    expect(fromEnv(env as Record<string, string>).auth).toEqual({ kind: 'user', user: 'gateway', password: 'gw-pw' });
  });

  it('keeps the common credentials for a service without its own', () => {
    expect(natsEnvForService('messages', { ...common, NATS_GATEWAY_USER: 'gateway', NATS_GATEWAY_PASSWORD: 'x' })).toEqual({ ...common, NATS_GATEWAY_USER: 'gateway', NATS_GATEWAY_PASSWORD: 'x' });
  });

  it('refuses half a pair', () => {
    expect(() => natsEnvForService('roulette', { NATS_ROULETTE_USER: 'roulette' })).toThrow(/NATS_ROULETTE_USER and NATS_ROULETTE_PASSWORD/);
  });
});
