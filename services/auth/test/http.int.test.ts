import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import { generatePrivateKeyPem, loadSigningKey, TOKEN_AUDIENCE, TOKEN_ISSUER, TOKEN_MAX_LIFETIME_SECONDS } from '@chatroulette/tokens';
import { api, registerUser, startStack, testScope, uniqueName, type Stack } from '@chatroulette/testing';
import { hashPassword, verifyPassword } from '../src/domain/password.js';
import { authTestEnv, ISO, UUID } from './helpers.js';

const scope = testScope('auth-http');
const privateKeyPem = generatePrivateKeyPem();
const key = loadSigningKey(privateKeyPem);
let stack: Stack;
let base: string;

beforeAll(async () => {
  // A configured key (not the development one), so the test can sign tokens with it.
  stack = await startStack({
    infra: scope,
    instances: [{ service: 'auth', env: { ...authTestEnv, AUTH_PRIVATE_KEY: privateKeyPem, PASSWORD_HASH_COST: '12' } }],
  });
  base = stack.get('auth').url;
});
afterAll(async () => {
  await stack?.destroy();
});

async function registered(prefix = 'u', password = 'password123') {
  return { ...(await registerUser(base, prefix, password)), password };
}

const b64url = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

describe('register', () => {
  it('answers 201 with exactly {user: {id, username, created_at}, token}', async () => {
    const username = uniqueName('Reg');
    const res = await api(base, 'POST', '/api/v1/auth/register', { body: { username, password: 'password123' } });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['token', 'user']);
    expect(Object.keys(res.body.user).sort()).toEqual(['created_at', 'id', 'username']);
    expect(res.body.user.id).toMatch(UUID);
    expect(res.body.user.username).toBe(username);
    expect(res.body.user.created_at).toMatch(ISO);
    const claims = jwt.verify(res.body.token, key.publicKeyPem, { algorithms: ['ES256'] }) as jwt.JwtPayload;
    expect(claims.sub).toBe(res.body.user.id);
    expect(claims.username).toBe(username);
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(jwt.decode(res.body.token, { complete: true })?.header).toMatchObject({ alg: 'ES256', kid: key.kid });
  });

  it('refuses a taken username without regard to case (409)', async () => {
    const { username } = await registered('Case');
    for (const variant of [username, username.toUpperCase(), username.toLowerCase()]) {
      const res = await api(base, 'POST', '/api/v1/auth/register', { body: { username: variant, password: 'another-pass' } });
      expect(res.status).toBe(409);
      expect(res.body.error).toEqual(expect.any(String));
    }
  });

  it('lets only one of two simultaneous registrations of one name through', async () => {
    const username = uniqueName('race');
    const answers = await Promise.all(
      [username, username.toUpperCase()].map((u) =>
        api(base, 'POST', '/api/v1/auth/register', { body: { username: u, password: 'password123' } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
  });

  it.each([
    ['a short username', { username: 'ab', password: 'password123' }],
    ['a long username', { username: 'a'.repeat(33), password: 'password123' }],
    ['a bad character', { username: 'bad name!', password: 'password123' }],
    ['a short password', { username: 'okname', password: '1234567' }],
    ['a long password', { username: 'okname', password: 'x'.repeat(129) }],
    ['a number username', { username: 12345, password: 'password123' }],
    ['a missing password', { username: 'okname' }],
    ['a missing body', undefined],
    ['an array', ['okname', 'password123']],
    ['null', null],
  ])('refuses %s with 400 {error}', async (_name, body) => {
    const res = await api(base, 'POST', '/api/v1/auth/register', body === undefined ? {} : { body });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual(expect.any(String));
  });

  it('accepts the edges: 3 and 32 characters, 8 and 128 character passwords', async () => {
    const short = `z${Math.random().toString(36).slice(2, 4)}`.padEnd(3, '0');
    const long = uniqueName('edge').padEnd(32, '.');
    for (const [username, password] of [
      [short, 'x'.repeat(8)],
      [long, 'y'.repeat(128)],
    ] as const) {
      const res = await api(base, 'POST', '/api/v1/auth/register', { body: { username, password } });
      expect(res.status).toBe(201);
      expect(res.body.user.username).toBe(username);
      const login = await api(base, 'POST', '/api/v1/auth/login', { body: { username, password } });
      expect(login.status).toBe(200);
    }
  });

  it('answers 400 for invalid JSON and 413 for a body over the limit', async () => {
    const bad = await api(base, 'POST', '/api/v1/auth/register', { raw: '{"username": "x",' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual(expect.any(String));
    const huge = await api(base, 'POST', '/api/v1/auth/register', {
      body: { username: 'hugebody', password: 'password123', pad: 'x'.repeat(70 * 1024) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toEqual(expect.any(String));
  });
});

describe('login', () => {
  it('answers 200 with exactly {user: {id, username, is_online, last_seen}, token}, case-insensitively', async () => {
    const u = await registered('Login');
    const res = await api(base, 'POST', '/api/v1/auth/login', { body: { username: u.username.toUpperCase(), password: u.password } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: { id: u.id, username: u.username, is_online: false, last_seen: null },
      token: expect.any(String),
    });
    const claims = jwt.verify(res.body.token, key.publicKeyPem, { algorithms: ['ES256'] }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: u.id, username: u.username });
    const profile = await api(base, 'GET', '/api/v1/auth/profile', { token: res.body.token });
    expect(profile.status).toBe(200);
  });

  it('gives the same 401 for an unknown user and a wrong password', async () => {
    const u = await registered('same');
    const wrong = await api(base, 'POST', '/api/v1/auth/login', { body: { username: u.username, password: 'wrong-password' } });
    const unknown = await api(base, 'POST', '/api/v1/auth/login', { body: { username: uniqueName('nobody'), password: 'wrong-password' } });
    const malformed = await api(base, 'POST', '/api/v1/auth/login', { body: { username: 'no such user!', password: 'x' } });
    // The same answer but for the request's own id.
    const answer = (a: typeof wrong) => ({ status: a.status, body: { ...a.body, request_id: typeof a.body.request_id } });
    expect(wrong.status).toBe(401);
    expect(answer(unknown)).toEqual(answer(wrong));
    expect(answer(malformed)).toEqual(answer(wrong));
  });

  it('spends hashing time on an unknown user too', async () => {
    const u = await registered('timing');
    const ghost = uniqueName('ghost');
    // CPU time of this process (the service runs in it, scrypt's thread pool included), not wall
    // time: other test files loading the machine do not change it.
    const cpuMs = async (work: () => Promise<unknown>) => {
      const t0 = process.cpuUsage();
      await work();
      const used = process.cpuUsage(t0);
      return (used.user + used.system) / 1000;
    };
    const login = (username: string) => () => api(base, 'POST', '/api/v1/auth/login', { body: { username, password: 'wrong-password' } });
    const oneHash = await hashPassword('x'.repeat(12), 12);
    const samples = { hash: [] as number[], wrong: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 5; i++) {
      samples.hash.push(await cpuMs(() => verifyPassword('y', oneHash)));
      samples.wrong.push(await cpuMs(login(u.username)));
      samples.unknown.push(await cpuMs(login(ghost)));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[2]!;
    // Both answers cost at least most of one verification at the configured cost; without the dummy
    // hash an unknown user would cost only the lookup.
    expect(median(samples.wrong)).toBeGreaterThan(median(samples.hash) * 0.6);
    expect(median(samples.unknown)).toBeGreaterThan(median(samples.hash) * 0.6);
  });

  it('refuses wrong types with 400', async () => {
    for (const body of [{ username: 'x' }, { username: 1, password: 'password123' }, { username: 'x', password: ['a'] }, 'text']) {
      const res = await api(base, 'POST', '/api/v1/auth/login', { body });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual(expect.any(String));
    }
  });
});

describe('profile', () => {
  const profileKeys = ['avatar_url', 'bio', 'created_at', 'display_name', 'id', 'is_online', 'last_seen', 'username'];

  it('GET answers the own profile with its exact fields', async () => {
    const u = await registered('prof');
    const res = await api(base, 'GET', '/api/v1/auth/profile', { token: u.token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(profileKeys);
    expect(res.body).toEqual({
      id: u.id,
      username: u.username,
      is_online: false,
      last_seen: null,
      created_at: expect.stringMatching(ISO),
      display_name: null,
      bio: null,
      avatar_url: null,
    });
  });

  it('PUT updates the extra fields, clears them with null or "", and leaves absent ones alone', async () => {
    const u = await registered('edit');
    const first = await api(base, 'PUT', '/api/v1/auth/profile', {
      token: u.token,
      body: { display_name: 'Вася', bio: 'hello\nworld', avatar_url: 'https://cdn.example/a.png' },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: u.id, username: u.username, display_name: 'Вася', bio: 'hello\nworld', avatar_url: 'https://cdn.example/a.png' });
    const second = await api(base, 'PUT', '/api/v1/auth/profile', { token: u.token, body: { bio: null, avatar_url: '' } });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ display_name: 'Вася', bio: null, avatar_url: null });
    const read = await api(base, 'GET', '/api/v1/auth/profile', { token: u.token });
    expect(read.body).toEqual(second.body);
    const empty = await api(base, 'PUT', '/api/v1/auth/profile', { token: u.token, body: {} });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual(second.body);
  });

  it.each([
    ['an unknown field', { nickname: 'x' }],
    ['a username change', { username: 'newname' }],
    ['a long display_name', { display_name: 'x'.repeat(65) }],
    ['a long bio', { bio: 'x'.repeat(501) }],
    ['a non-http avatar_url', { avatar_url: 'javascript:alert(1)' }],
    ['a long avatar_url', { avatar_url: `https://x.example/${'a'.repeat(2040)}` }],
    ['a number', { display_name: 5 }],
    ['an array body', [1]],
  ])('PUT refuses %s with 400', async (_name, body) => {
    const u = await registered('bad');
    const res = await api(base, 'PUT', '/api/v1/auth/profile', { token: u.token, body });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual(expect.any(String));
    const after = await api(base, 'GET', '/api/v1/auth/profile', { token: u.token });
    expect(after.body.display_name).toBeNull();
  });

  it('GET /users/{id}/profile answers the public profile of another user', async () => {
    const a = await registered('pubA');
    const b = await registered('pubB');
    await api(base, 'PUT', '/api/v1/auth/profile', { token: b.token, body: { display_name: 'Bee' } });
    const res = await api(base, 'GET', `/api/v1/users/${b.id}/profile`, { token: a.token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(profileKeys);
    expect(res.body).toMatchObject({ id: b.id, username: b.username, is_online: false, last_seen: null, display_name: 'Bee' });
  });

  it('GET /users/{id}/profile: 400 for a malformed id, 404 for an unknown one, 401 without a token', async () => {
    const a = await registered('pubC');
    const malformed = await api(base, 'GET', '/api/v1/users/not-a-uuid/profile', { token: a.token });
    expect(malformed.status).toBe(400);
    const unknown = await api(base, 'GET', '/api/v1/users/00000000-0000-4000-8000-000000000000/profile', { token: a.token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual(expect.any(String));
    const anonymous = await api(base, 'GET', `/api/v1/users/${a.id}/profile`);
    expect(anonymous.status).toBe(401);
  });
});

describe('tokens', () => {
  let user: Awaited<ReturnType<typeof registered>>;
  beforeAll(async () => {
    user = await registered('tok');
  });
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ sub: user.id, username: user.username, iat: now(), exp: now() + 600, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, jti: randomUUID() });
  const signed = (payload: object) => jwt.sign({ ...claims(), ...payload }, key.privateKey, { algorithm: 'ES256', keyid: key.kid });

  const forged: [string, () => string | undefined, (t: string) => Record<string, string>][] = [
    ['no Authorization header', () => undefined, () => ({})],
    ['a token without "Bearer"', () => user.token, (t) => ({ authorization: t })],
    ['another scheme', () => user.token, (t) => ({ authorization: `Basic ${t}` })],
    ['garbage', () => 'not.a.jwt', (t) => ({ authorization: `Bearer ${t}` })],
    ['alg none', () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}.`, (t) => ({ authorization: `Bearer ${t}` })],
    [
      'HS256 signed with the public key',
      () => {
        const head = `${b64url({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${b64url(claims())}`;
        return `${head}.${createHmac('sha256', key.publicKeyPem).update(head).digest('base64url')}`;
      },
      (t) => ({ authorization: `Bearer ${t}` }),
    ],
    [
      'ES256 signed with another key under the right kid',
      () => {
        const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
        return jwt.sign(claims(), other, { algorithm: 'ES256', keyid: key.kid });
      },
      (t) => ({ authorization: `Bearer ${t}` }),
    ],
    [
      'an expired token',
      () => jwt.sign({ ...claims(), iat: 1000, exp: 2000 }, key.privateKey, { algorithm: 'ES256', keyid: key.kid }),
      (t) => ({ authorization: `Bearer ${t}` }),
    ],
    [
      'a tampered payload',
      () => {
        const [h, , s] = user.token.split('.');
        return `${h}.${b64url({ ...claims(), sub: '00000000-0000-4000-8000-000000000000' })}.${s}`;
      },
      (t) => ({ authorization: `Bearer ${t}` }),
    ],
    ['another issuer', () => signed({ iss: 'someone-else' }), (t) => ({ authorization: `Bearer ${t}` })],
    ['another audience', () => signed({ aud: 'another-system' }), (t) => ({ authorization: `Bearer ${t}` })],
    ['no jti', () => signed({ jti: undefined }), (t) => ({ authorization: `Bearer ${t}` })],
    ['a lifetime past the maximum', () => signed({ exp: now() + TOKEN_MAX_LIFETIME_SECONDS + 60 }), (t) => ({ authorization: `Bearer ${t}` })],
    [
      'a non-uuid sub',
      () => jwt.sign({ ...claims(), sub: 'admin' }, key.privateKey, { algorithm: 'ES256', keyid: key.kid }),
      (t) => ({ authorization: `Bearer ${t}` }),
    ],
  ];

  it.each(forged)('refuses %s with 401 {error}', async (_name, make, header) => {
    const token = make();
    for (const [method, path] of [
      ['GET', '/api/v1/auth/profile'],
      ['PUT', '/api/v1/auth/profile'],
      ['GET', `/api/v1/users/${user.id}/profile`],
    ] as const) {
      const res = await api(base, method, path, {
        headers: token === undefined ? {} : header(token),
        ...(method === 'PUT' ? { body: { bio: 'hacked' } } : {}),
      });
      expect(res.status).toBe(401);
      expect(res.body.error).toEqual(expect.any(String));
    }
    const own = await api(base, 'GET', '/api/v1/auth/profile', { token: user.token });
    expect(own.body.bio).toBeNull();
  });

  it('accepts a token it signed by hand with the real key (the forgeries above fail for their flaw only)', async () => {
    const token = jwt.sign(claims(), key.privateKey, { algorithm: 'ES256', keyid: key.kid });
    expect((await api(base, 'GET', '/api/v1/auth/profile', { token })).status).toBe(200);
  });

  it('answers 401 for a valid token of a user that does not exist', async () => {
    const token = jwt.sign({ ...claims(), sub: '00000000-0000-4000-8000-000000000001' }, key.privateKey, {
      algorithm: 'ES256',
      keyid: key.kid,
    });
    expect((await api(base, 'GET', '/api/v1/auth/profile', { token })).status).toBe(401);
  });
});

describe('well-known keys', () => {
  it('serves the public key as a JWK set that verifies issued tokens', async () => {
    const res = await api(base, 'GET', '/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.body.keys).toHaveLength(1);
    const jwk = res.body.keys[0];
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: key.kid, alg: 'ES256', use: 'sig' });
    expect(jwk.d).toBeUndefined();
    const { createPublicKey } = await import('node:crypto');
    const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
    const u = await registered('jwk');
    expect((jwt.verify(u.token, publicKey, { algorithms: ['ES256'] }) as jwt.JwtPayload).sub).toBe(u.id);
  });

  it('answers unknown routes with 404 {error}', async () => {
    const res = await api(base, 'GET', '/api/v1/auth/nothing');
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual(expect.any(String));
  });
});
