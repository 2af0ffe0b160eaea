import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { commonEnv, databaseEnv, envBool, envPort, readConfig } from './read-config.js';

const shape = { ...commonEnv, ...databaseEnv('chatroulette_test'), PORT: envPort(3000), FLAG: envBool(false), SECRET: z.string().min(8) };

describe('readConfig', () => {
  it('applies defaults and coerces numbers and booleans', () => {
    const cfg = readConfig(shape, { PORT: '4000', FLAG: '1', SECRET: 'xxxxxxxx' });
    expect(cfg).toMatchObject({
      NATS_URL: 'nats://127.0.0.1:4222',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432',
      DATABASE_NAME: 'chatroulette_test',
      PORT: 4000,
      FLAG: true,
      LOG_LEVEL: 'info',
    });
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it('names a missing variable in one line', () => {
    expect(() => readConfig(shape, {})).toThrow(new ConfigError('Configuration error: SECRET is required'));
  });

  it('names a bad variable and says why', () => {
    expect(() => readConfig(shape, { SECRET: 'xxxxxxxx', PORT: 'eighty' })).toThrow(/^Configuration error: PORT is invalid/);
    expect(() => readConfig(shape, { SECRET: 'xxxxxxxx', NATS_URL: 'http://x' })).toThrow(/NATS_URL is invalid \(must be a nats:/);
    expect(() => readConfig(shape, { SECRET: 'xxxxxxxx', DATABASE_NAME: 'Bad-Name' })).toThrow(/DATABASE_NAME is invalid/);
    expect(() => readConfig(shape, { SECRET: 'xxxxxxxx', FLAG: 'yes' })).toThrow(/FLAG is invalid/);
  });

  it('treats an empty variable as unset', () => {
    expect(readConfig(shape, { SECRET: 'xxxxxxxx', PORT: '' }).PORT).toBe(3000);
  });
});
