import { describe, expect, it } from 'vitest';
import { ConfigError } from '@chatroulette/config';
import { configFromEnv } from './config.js';

describe('configFromEnv', () => {
  it('has the documented defaults', () => {
    const cfg = configFromEnv({});
    expect(cfg).toMatchObject({
      port: 3003,
      host: '127.0.0.1',
      nats: { servers: ['nats://127.0.0.1:4222'] },
      natsNamespace: '',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432',
      databaseName: 'chatroulette_roulette',
      graceMs: 15_000,
      skipCooldownMs: 300_000,
      interestWaitMs: 5000,
      graceLoopMs: 500,
      idleSearchMs: 60_000,
    });
  });

  it('reads the roulette variables', () => {
    const cfg = configFromEnv({ ROULETTE_GRACE_MS: '300', ROULETTE_SKIP_COOLDOWN_MS: '0', ROULETTE_INTEREST_WAIT_MS: '10', ROULETTE_IDLE_SEARCH_MS: '1500', PORT: '0' });
    expect(cfg).toMatchObject({ graceMs: 300, skipCooldownMs: 0, interestWaitMs: 10, idleSearchMs: 1500, port: 0 });
    expect(() => configFromEnv({ ROULETTE_IDLE_SEARCH_MS: '50' })).toThrow(ConfigError);
  });

  it('gives every field a value, with the job periods, retry and limits read from their variables', () => {
    const perMinute = (points: number) => ({ points, perSeconds: 60 });
    expect(configFromEnv({})).toMatchObject({
      matcherLoopMs: 1000,
      relayLoopMs: 1000,
      retryAfterMs: 10_000,
      streamReplicas: 1,
      budgets: { searches: perMinute(30), skips: perMinute(20), cancels: perMinute(30), status: perMinute(120), saves: perMinute(10), reports: perMinute(10) },
      tokenCacheSize: 20_000,
      safety: { reportSuspendThreshold: 3, reportWindowHours: 24, suspensionHours: 24, moderators: new Set() },
    });
    expect(configFromEnv({ ROULETTE_RETRY_AFTER_MS: '5000', RATE_SKIPS_PER_MINUTE: '2', RATE_STATUS_PER_MINUTE: '7' })).toMatchObject({
      retryAfterMs: 5000,
      budgets: { skips: perMinute(2), status: perMinute(7) },
    });
    expect(Object.values(configFromEnv({})).every((v) => v !== undefined)).toBe(true);
  });

  it('reads the reporting rules and the moderators, whose names are compared without regard to case', () => {
    const cfg = configFromEnv({ REPORT_SUSPEND_THRESHOLD: '2', REPORT_WINDOW_HOURS: '1', SUSPENSION_HOURS: '48', MODERATOR_USERNAMES: ' Ann ,bob,, ' });
    expect(cfg.safety).toEqual({ reportSuspendThreshold: 2, reportWindowHours: 1, suspensionHours: 48, moderators: new Set(['ann', 'bob']) });
    expect(() => configFromEnv({ REPORT_SUSPEND_THRESHOLD: '0' })).toThrow(/REPORT_SUSPEND_THRESHOLD/);
  });

  it('names the variable that is wrong', () => {
    expect(() => configFromEnv({ ROULETTE_GRACE_MS: 'soon' })).toThrow(ConfigError);
    expect(() => configFromEnv({ ROULETTE_GRACE_MS: 'soon' })).toThrow(/ROULETTE_GRACE_MS/);
    expect(() => configFromEnv({ PORT: '70000' })).toThrow(/PORT/);
  });
});
