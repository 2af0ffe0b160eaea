import type { Logger } from 'pino';
import { createService, type AuthConfig } from '@chatroulette/auth';
import { resolveConfig, type ResolvedAuthConfig } from '../src/config.js';
import { scopeConfig, type TestScope } from '@chatroulette/testing';

/** The service's config for one test file: its own database and NATS namespace, a random port. */
export function testConfig(scope: TestScope, overrides: Partial<AuthConfig> = {}): ResolvedAuthConfig {
  return resolveConfig({
    ...scopeConfig(scope, 'auth'),
    databasePoolSize: 5,
    passwordHashCost: 10,
    tokenTtlSeconds: 3600,
    privateKeyPem: undefined,
    presenceSweepMs: 100,
    ...overrides,
  });
}

export async function startAuth(cfg: AuthConfig, log?: Logger) {
  const service = createService(cfg, log ? { log } : {});
  try {
    const { port } = await service.start();
    return { base: `http://127.0.0.1:${port}`, destroy: service.destroy };
  } catch (e) {
    await service.destroy();
    throw e;
  }
}

export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
