import { afterAll, describe, expect, it } from 'vitest';
import { connect } from 'nats';
import pg from 'pg';
import { pino } from 'pino';
import { withDatabase } from '@chatroulette/db';
import { authKeysGet, createSubjects } from '@chatroulette/contracts';
import { request } from '@chatroulette/nats';
import { api, createStack, testScope, uniqueName } from '@chatroulette/testing';
import { authTestEnv } from './helpers.js';

const scope = testScope('auth-two');
/** The cost the first two instances hash with; the restarted one raises it. */
const cost = 10;
const stack = createStack({ infra: scope, env: { auth: { ...authTestEnv, PASSWORD_HASH_COST: String(cost) } } });
afterAll(async () => {
  await stack.destroy();
});

/** A logger that keeps its lines, to see the development-key warning. */
function capturingLog() {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe('two instances on one database', () => {
  it('both start at once, share the development key, and serve the same users', async () => {
    const logs = [capturingLog(), capturingLog()];
    const [a, b] = await Promise.all(logs.map((l) => stack.start({ service: 'auth', options: { log: l.log } })));

    for (const { lines } of logs) {
      expect(lines.some((l) => l.level === 40 && /DEVELOPMENT signing key/.test(l.msg))).toBe(true);
    }

    const username = uniqueName('Twin');
    const reg = await api(a!.url, 'POST', '/api/v1/auth/register', { body: { username, password: 'password123' } });
    expect(reg.status).toBe(201);
    // A token from one instance verifies on the other.
    const onB = await api(b!.url, 'GET', '/api/v1/auth/profile', { token: reg.body.token });
    expect(onB.status).toBe(200);
    expect(onB.body.id).toBe(reg.body.user.id);

    const login = await api(b!.url, 'POST', '/api/v1/auth/login', { body: { username: username.toLowerCase(), password: 'password123' } });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(reg.body.user.id);
    expect((await api(a!.url, 'GET', '/api/v1/auth/profile', { token: login.body.token })).status).toBe(200);

    // Uniqueness holds across instances.
    const again = await api(b!.url, 'POST', '/api/v1/auth/register', { body: { username: username.toUpperCase(), password: 'password123' } });
    expect(again.status).toBe(409);

    const [jwksA, jwksB] = await Promise.all([a, b].map((s) => api(s!.url, 'GET', '/.well-known/jwks.json')));
    expect(jwksA!.body).toEqual(jwksB!.body);

    // Whichever instance answers auth.keys.get, the key is the same.
    const nc = await connect({ servers: scope.natsUrl });
    try {
      const subjects = createSubjects(scope.namespace);
      const kids = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const reply = await request(nc, subjects.authKeysGet, authKeysGet, {});
        for (const k of reply.keys) kids.add(k.kid);
      }
      expect([...kids]).toEqual([jwksA!.body.keys[0].kid]);
    } finally {
      await nc.drain();
    }

    // Neither passwords nor tokens reach the logs.
    const logged = logs.flatMap((l) => l.lines.map((line) => JSON.stringify(line))).join('\n');
    expect(logged).not.toContain('password123');
    expect(logged).not.toContain(reg.body.token);
    expect(logged).toContain(reg.body.user.id);

    // A restart keeps the key: a token issued before still works.
    await a!.stop();
    // ... and a raised hashing cost re-hashes a password at its next successful login.
    const a2 = await stack.start({ service: 'auth', env: { PASSWORD_HASH_COST: String(cost + 1) } });
    expect((await api(a2.url, 'GET', '/api/v1/auth/profile', { token: reg.body.token })).status).toBe(200);
    const storedHash = async () => {
      const client = new pg.Client({ connectionString: withDatabase(scope.databaseUrl, scope.database('auth')) });
      await client.connect();
      try {
        const { rows } = await client.query('select password_hash from users where id = $1', [reg.body.user.id]);
        return rows[0].password_hash as string;
      } finally {
        await client.end();
      }
    };
    expect(await storedHash()).toMatch(new RegExp(`^scrypt\\$${cost}\\$`));
    const relogin = await api(a2.url, 'POST', '/api/v1/auth/login', { body: { username, password: 'password123' } });
    expect(relogin.status).toBe(200);
    expect(await storedHash()).toMatch(new RegExp(`^scrypt\\$${cost + 1}\\$`));
    expect((await api(b!.url, 'POST', '/api/v1/auth/login', { body: { username, password: 'password123' } })).status).toBe(200);
  });
});
