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

/**
 * The gateway's per-address and per-user socket budgets, raised past anything a test file or the
 * bench does: they all come from 127.0.0.1, and a file's gateways share one budgets bucket. The
 * tests of the budgets set their own.
 */
export const roomyGatewayBudgets = {
  RATE_ADDRESS_REQUESTS_PER_MINUTE: '100000000',
  RATE_ADDRESS_UPGRADES_PER_MINUTE: '100000000',
  RATE_SOCKET_UPGRADES_PER_MINUTE: '1000000',
  RATE_SINCE_REPLAYS_PER_MINUTE: '1000000',
};
