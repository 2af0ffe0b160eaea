import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startOwnNats, testScope } from '@chatroulette/testing';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('runService', () => {
  it.each([
    ['gateway', { PORT: 'eighty' }, /^gateway: Configuration error: PORT is invalid/],
    ['auth', { NATS_URL: 'http://nats' }, /^auth: Configuration error: NATS_URL is invalid/],
    ['messages', { DATABASE_NAME: 'Bad-Name' }, /^messages: Configuration error: DATABASE_NAME is invalid/],
    ['roulette', { ROULETTE_GRACE_MS: '-1' }, /^roulette: Configuration error: ROULETTE_GRACE_MS is invalid/],
  ])('stops %s on a bad variable with one line naming it and exit code 1', (service, env, line) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', `services/${service}/src/main.ts`], {
      cwd: root,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  }, 30_000);
});

describe('runService at start', () => {
  it('stops on a NATS without JetStream with one line naming NATS_URL, and exit code 1', async () => {
    const nats = await startOwnNats({ jetstream: false });
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'services/messages/src/main.ts'], {
        cwd: root,
        env: { ...process.env, NATS_URL: nats.url, PORT: '0', LOG_LEVEL: 'silent', DATABASE_NAME: testScope('runservice').database('messages') },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^messages: NATS at .+ \(NATS_URL\) answers without JetStream .*start nats-server with -js$/);
    } finally {
      await nats.stop();
    }
  }, 40_000);
});
