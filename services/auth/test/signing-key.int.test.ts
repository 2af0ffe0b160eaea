import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePrivateKeyPem } from '@chatroulette/tokens';
import { api, registerUser, startStack, testScope, type Stack } from '@chatroulette/testing';
import { authTestEnv } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const scope = testScope('auth-signing-key');
let stack: Stack | undefined;
afterAll(() => stack?.destroy());

describe('the signing key', () => {
  it('is required: without AUTH_PRIVATE_KEY(_FILE) and without AUTH_DEV_KEY=1, auth exits with one clear line', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AUTH_')));
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'services/auth/src/main.ts'], {
      cwd: root,
      env: { ...env, LOG_LEVEL: 'silent', PORT: '0', NATS_URL: scope.natsUrl, DATABASE_URL: scope.databaseUrl },
      timeout: 60_000,
    });
    const failed = await run.then(() => undefined, (e: { code: number; stderr: string }) => e);
    expect(failed?.code).toBe(1);
    expect(failed?.stderr.trim().split('\n')).toEqual([
      'auth: Configuration error: set AUTH_PRIVATE_KEY or AUTH_PRIVATE_KEY_FILE (or AUTH_DEV_KEY=1 for a development key kept in the database)',
    ]);
  });

  it('retires the stored development key when a real one is configured: its tokens are refused by every verifier', async () => {
    // The stack's auth runs on the development key (AUTH_DEV_KEY=1).
    stack = await startStack({ infra: scope, env: { auth: authTestEnv }, instances: ['auth', 'messages'] });
    const messages = stack.get('messages').url;
    const devAuth = stack.get('auth');
    const u = await registerUser(devAuth.url, 'devkey');
    // messages has fetched the development key and cached this token's check.
    expect((await api(messages, 'GET', '/api/v1/chats', { token: u.token })).status).toBe(200);

    await devAuth.stop();
    const realAuth = await stack.start({ service: 'auth', env: { AUTH_PRIVATE_KEY: generatePrivateKeyPem() } });
    expect((await api(messages, 'GET', '/api/v1/chats', { token: u.token })).status).toBe(401);
    expect((await api(realAuth.url, 'GET', '/api/v1/auth/profile', { token: u.token })).status).toBe(401);
    const login = await api(realAuth.url, 'POST', '/api/v1/auth/login', { body: { username: u.username, password: 'correct horse battery' } });
    expect(login.status).toBe(200);
    expect((await api(realAuth.url, 'GET', '/api/v1/auth/profile', { token: login.body.token })).status).toBe(200);
  });
});
