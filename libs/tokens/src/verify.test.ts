import { createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import { generatePrivateKeyPem, loadSigningKey } from './keys.js';
import { LEGACY_CLAIM, TOKEN_AUDIENCE, TOKEN_ISSUER, TOKEN_MAX_LIFETIME_SECONDS } from './claims.js';
import { signToken } from './sign.js';
import { bearerToken, createTokenVerifier } from './verify.js';

const key = loadSigningKey(generatePrivateKeyPem());
const other = loadSigningKey(generatePrivateKeyPem());
const verify = createTokenVerifier(async () => [{ kid: key.kid, public_key_pem: key.publicKeyPem }]);
const userId = '7d2b8f0e-4a57-4c43-9a53-0f6f2b7d6a11';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('token verification', () => {
  it('accepts a token signed by the auth key', async () => {
    const token = signToken(key, { sub: userId, username: 'vasya' }, 60);
    await expect(verify(token)).resolves.toMatchObject({ userId, username: 'vasya' });
  });

  it('refuses alg none', async () => {
    const forged = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: userId, username: 'x', exp: 9e9 })}.`;
    await expect(verify(forged)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses HS256 signed with the public key as secret', async () => {
    const header = b64({ alg: 'HS256', typ: 'JWT', kid: key.kid });
    const body = b64({ sub: userId, username: 'x', iat: 1, exp: 9e9 });
    const sig = createHmac('sha256', key.publicKeyPem).update(`${header}.${body}`).digest('base64url');
    await expect(verify(`${header}.${body}.${sig}`)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses another key, an expired token, a tampered payload and garbage', async () => {
    const wrongKey = signToken(other, { sub: userId, username: 'x' }, 60);
    const claims = { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, jwtid: 'j' };
    const wrongKeySameKid = jwt.sign({ username: 'x' }, other.privateKey, { algorithm: 'ES256', subject: userId, keyid: key.kid, expiresIn: 60, ...claims });
    const expired = jwt.sign({ username: 'x', exp: Math.floor(Date.now() / 1000) - 10 }, key.privateKey, { algorithm: 'ES256', subject: userId, keyid: key.kid, ...claims });
    const [h, , s] = signToken(key, { sub: userId, username: 'x' }, 60).split('.');
    const tampered = `${h}.${b64({ sub: userId, username: 'admin', exp: 9e9 })}.${s}`;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const rs256 = jwt.sign({ username: 'x' }, rsa, { algorithm: 'RS256', subject: userId, expiresIn: 60 });
    for (const token of [wrongKey, wrongKeySameKid, expired, tampered, rs256, 'garbage', '', 'a.b.c']) {
      await expect(verify(token)).rejects.toMatchObject({ status: 401 });
    }
    await expect(verify(expired)).rejects.toThrow('Token expired');
  });

  it('carries iss, aud, iat and a fresh jti, and answers them', async () => {
    const a = signToken(key, { sub: userId, username: 'x' }, 60);
    const b = signToken(key, { sub: userId, username: 'x' }, 60);
    expect(jwt.decode(a)).toMatchObject({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: userId });
    const [va, vb] = [await verify(a), await verify(b)];
    expect(va.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(va.jti).not.toBe(vb.jti);
    expect(va).toMatchObject({ kid: key.kid, exp: va.iat + 60 });
  });

  it('refuses another issuer or audience, a missing jti, and a lifetime past the maximum', async () => {
    const now = Math.floor(Date.now() / 1000);
    const sign = (payload: object, opts: jwt.SignOptions = {}) =>
      jwt.sign({ username: 'x', iat: now, ...payload }, key.privateKey, { algorithm: 'ES256', subject: userId, keyid: key.kid, ...opts });
    const full = { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, jwtid: 'j1', expiresIn: 60 };
    await expect(verify(sign({}, full))).resolves.toMatchObject({ jti: 'j1' });
    const refused = [
      sign({}, { ...full, issuer: 'someone-else' }),
      sign({}, { ...full, audience: 'another-system' }),
      sign({}, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, expiresIn: 60 }),
      sign({}, { ...full, expiresIn: TOKEN_MAX_LIFETIME_SECONDS + 1 }),
      sign({ iat: now + 3600 }, { ...full, expiresIn: 60 }),
    ];
    for (const token of refused) await expect(verify(token)).rejects.toMatchObject({ status: 401 });
    await expect(verify(refused[3]!)).rejects.toThrow('Token lifetime too long');
  });

  it('carries user_id = sub in every token, and the legacy marker only in a legacy one', async () => {
    const ours = signToken(key, { sub: userId, username: 'x' }, 60);
    const legacy = signToken(key, { sub: userId, username: 'x', legacy: true }, 60);
    expect(jwt.decode(ours)).toMatchObject({ sub: userId, user_id: userId });
    expect(jwt.decode(ours)).not.toHaveProperty(LEGACY_CLAIM);
    expect(jwt.decode(legacy)).toMatchObject({ sub: userId, user_id: userId, [LEGACY_CLAIM]: true });
    await expect(verify(ours)).resolves.toMatchObject({ userId, legacy: false });
    await expect(verify(legacy)).resolves.toMatchObject({ userId, legacy: true });
  });

  it('refuses a token whose user_id names another user than sub', async () => {
    const now = Math.floor(Date.now() / 1000);
    const other = '0d1c2b3a-4a57-4c43-9a53-0f6f2b7d6a11';
    const forged = jwt.sign({ username: 'x', iat: now, user_id: other }, key.privateKey, {
      algorithm: 'ES256', subject: userId, keyid: key.kid, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, jwtid: 'j', expiresIn: 60,
    });
    await expect(verify(forged)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a token whose subject is not a user id', async () => {
    await expect(verify(signToken(key, { sub: 'not-a-uuid', username: 'x' }, 60))).rejects.toMatchObject({ status: 401 });
  });

  it('answers 503, not 401, when the keys cannot be fetched', async () => {
    const down = createTokenVerifier(async () => {
      throw Object.assign(new Error('no responders'), { status: 503 });
    });
    await expect(down(signToken(key, { sub: userId, username: 'x' }, 60))).rejects.toMatchObject({ status: 503 });
  });
});

describe('bearerToken', () => {
  it('reads only a well-formed Bearer header', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
