import type { TestScope } from './isolation.js';

/** The log level of services started by tests: TEST_LOG_LEVEL=debug shows their logs while debugging. */
const testLogLevel = () => (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent';

/** The environment of one service of a test scope (its NATS namespace and database, a free port), for configFromEnv; `extra` adds or overrides. */
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
