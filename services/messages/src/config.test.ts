import { describe, expect, it } from 'vitest';
import { ConfigError } from '@chatroulette/config';
import { configFromEnv } from './config.js';

describe('config', () => {
  it('defaults everything but nothing is required', () => {
    const cfg = configFromEnv({});
    expect(cfg).toMatchObject({
      port: 3002,
      host: '127.0.0.1',
      natsNamespace: '',
      databaseName: 'chatroulette_messages',
      eventRetentionCount: 10_000,
      eventRetentionHours: 168,
      streamMaxAgeMs: 7 * 24 * 3600 * 1000,
      faultExitAfterCommit: false,
    });
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it('reads the test-only fault flag and the retention', () => {
    const cfg = configFromEnv({ FAULT_EXIT_AFTER_COMMIT: '1', EVENT_RETENTION_COUNT: '50', EVENT_RETENTION_HOURS: '2' });
    expect(cfg).toMatchObject({ faultExitAfterCommit: true, eventRetentionCount: 50, eventRetentionHours: 2 });
  });

  it('reads one variable per budget', () => {
    expect(configFromEnv({}).sendRate).toEqual({ perSecond: 20, burst: 40 });
    expect(configFromEnv({}).budgets).toEqual({
      edits: { points: 60, perSeconds: 60 },
      deletes: { points: 60, perSeconds: 60 },
      likes: { points: 120, perSeconds: 60 },
      reads: { points: 600, perSeconds: 60 },
      chats: { points: 30, perSeconds: 60 },
    });
    const cfg = configFromEnv({ RATE_MESSAGES_PER_SECOND: '2', RATE_MESSAGES_BURST: '3', RATE_READS_PER_MINUTE: '9' });
    expect(cfg.sendRate).toEqual({ perSecond: 2, burst: 3 });
    expect(cfg.budgets).toMatchObject({ reads: { points: 9, perSeconds: 60 } });
    expect(() => configFromEnv({ RATE_LIKES_PER_MINUTE: '0' })).toThrow(/RATE_LIKES_PER_MINUTE/);
  });

  it('names the bad variable', () => {
    expect(() => configFromEnv({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => configFromEnv({ EVENT_RETENTION_COUNT: '0' })).toThrow(/EVENT_RETENTION_COUNT/);
    expect(() => configFromEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('defaults the job periods and the user cache, and reads them', () => {
    const cfg = configFromEnv({});
    expect(cfg.relayIntervalMs).toBe(250);
    expect(cfg.userCacheTtlMs).toBe(60_000);
    expect(cfg.pruneIntervalMs).toBe(60_000);
    expect(configFromEnv({ PRUNE_INTERVAL_MS: '200', RELAY_INTERVAL_MS: '50', USER_CACHE_TTL_MS: '0' })).toMatchObject({
      pruneIntervalMs: 200,
      relayIntervalMs: 50,
      userCacheTtlMs: 0,
    });
    expect(() => configFromEnv({ PRUNE_INTERVAL_MS: '0' })).toThrow(/PRUNE_INTERVAL_MS/);
    expect(() => configFromEnv({ RELAY_INTERVAL_MS: '60001' })).toThrow(/RELAY_INTERVAL_MS/);
  });
});
