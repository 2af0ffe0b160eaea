import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { natsPasswordVariable, natsPermissions, natsUsers } from '@chatroulette/contracts';
import { natsServerBinary } from '@chatroulette/testing';
import { natsAuthorizationConf } from './server-authorization.js';

const deploy = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../deploy/nats');
const passwords = Object.fromEntries(natsUsers.map((u) => [natsPasswordVariable(u), `dev-${u}`]));
/** `nats-server -t`: parses a config (and its includes) and exits. */
const check = (file: string, env: Record<string, string>) =>
  spawnSync(natsServerBinary(), ['-c', path.join(deploy, file), '-t'], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });

describe('deploy/nats', () => {
  it('ships the authorization generated from libs/contracts (npm run nats:permissions)', () => {
    expect(readFileSync(path.join(deploy, 'authorization.conf'), 'utf8')).toBe(natsAuthorizationConf());
  });

  it('gives each service its own subjects: only messages publishes chat events, only roulette match events, only auth user presence', () => {
    const p = natsPermissions();
    const publishers = (subject: string) => natsUsers.filter((u) => p[u].publish.includes(subject));
    expect(publishers('chat.>')).toEqual(['messages']);
    expect(publishers('user.*.chatroulette_match')).toEqual(['roulette']);
    expect(publishers('user.*.presence')).toEqual(['auth']);
    expect(publishers('presence.*.*')).toEqual(['gateway']);
    expect(publishers('gateway.heartbeat')).toEqual(['gateway']);
    expect(natsUsers.every((u) => p[u].subscribe.includes(`_INBOX_${u}.>`) && !p[u].subscribe.includes('_INBOX.>'))).toBe(true);
  });

  it('is a config nats-server (this one, 2.9 or later) takes, and refuses with a password unset', () => {
    expect(check('nats.conf', passwords).status).toBe(0);
    const { NATS_MEDIA_PASSWORD: _unset, ...fewer } = passwords;
    const missing = check('nats.conf', fewer);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/NATS_MEDIA_PASSWORD/);
  });

  it('keeps sync_interval in nats-2.10.conf, which only 2.10 and later read', () => {
    const version = execFileSync(natsServerBinary(), ['--version'], { encoding: 'utf8' }).match(/v(\d+)\.(\d+)/)!;
    const atLeast210 = Number(version[1]) > 2 || Number(version[2]) >= 10;
    const result = check('nats-2.10.conf', passwords);
    if (atLeast210) expect(result.status).toBe(0);
    else expect(result.stderr).toMatch(/unknown field "sync_interval"/);
    expect(readFileSync(path.join(deploy, 'nats.conf'), 'utf8')).not.toMatch(/^\s*sync_interval/m);
  });
});
