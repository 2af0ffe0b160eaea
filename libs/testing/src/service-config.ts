import type { TestScope } from './isolation.js';

/** The log level of services started by tests: TEST_LOG_LEVEL=debug shows their logs while debugging. */
const testLogLevel = () => (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent';

/** The fields every service's config shares, for one test scope: its NATS namespace and database, a free port. */
export function scopeConfig(scope: TestScope, service: string) {
  return {
    port: 0,
    natsUrl: scope.natsUrl,
    natsNamespace: scope.namespace,
    databaseUrl: scope.databaseUrl,
    databaseName: scope.database(service),
    logLevel: testLogLevel(),
  };
}

/** The same as environment variables, for a service's configFromEnv; `extra` adds or overrides. */
export function serviceEnv(scope: Pick<TestScope, 'natsUrl' | 'namespace' | 'databaseUrl' | 'database'>, service: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NATS_URL: scope.natsUrl,
    NATS_NAMESPACE: scope.namespace,
    DATABASE_URL: scope.databaseUrl,
    DATABASE_NAME: scope.database(service),
    PORT: '0',
    LOG_LEVEL: testLogLevel(),
    ...extra,
  };
}
