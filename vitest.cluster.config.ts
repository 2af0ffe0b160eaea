import { defineConfig } from 'vitest/config';

/**
 * The cluster topology (`npm run test:cluster`, with TEST_TOPOLOGY=cluster): the end-to-end suite as
 * `npm run start:cluster` runs the product (libs/testing cluster-stack.ts), and test/cluster, whose
 * files each start the whole cluster of their own (startCluster) for what only it can show: users
 * spread over both gateways and instances, budgets across instances, and faults (a NATS node, one
 * instance of each service, a gateway) with their counts. CLUSTER_QUICK=1 keeps the e2e files CI runs.
 */
const quick = process.env.CLUSTER_QUICK === '1';
/** The e2e files of the quick mode: a chat across gateways and instances, sessions, roulette. */
const quickE2e = ['test/e2e/two-instances.e2e.test.ts', 'test/e2e/sessions.e2e.test.ts', 'test/e2e/roulette.e2e.test.ts', 'test/e2e/chat-events.e2e.test.ts'];

export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts', ...(quick ? quickE2e : ['test/e2e/**/*.test.ts'])],
    globalSetup: ['libs/testing/src/global-setup.ts'],
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // A test/cluster file runs 13 processes: two files at a time on two cores.
    maxWorkers: 2,
  },
});
