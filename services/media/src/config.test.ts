import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config.js';

describe('configFromEnv', () => {
  it('has the documented defaults, every field given', () => {
    const cfg = configFromEnv({});
    expect(cfg).toEqual({
      port: 3004,
      host: '127.0.0.1',
      nats: { servers: ['nats://127.0.0.1:4222'] },
      natsNamespace: '',
      logLevel: 'info',
      streamReplicas: 1,
      uploadTimeoutMs: 600_000,
      tokenCacheSize: 20_000,
    });
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it('reads its variables and names a bad one', () => {
    expect(configFromEnv({ PORT: '0', NATS_STREAM_REPLICAS: '3', MEDIA_UPLOAD_TIMEOUT_MS: '5000' })).toMatchObject({ port: 0, streamReplicas: 3, uploadTimeoutMs: 5000 });
    expect(() => configFromEnv({ MEDIA_UPLOAD_TIMEOUT_MS: '10' })).toThrow(/MEDIA_UPLOAD_TIMEOUT_MS is invalid/);
  });
});
