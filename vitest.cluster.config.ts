import { defineConfig } from 'vitest/config';

/**
 * The cluster topology (`npm run test:cluster`, with TEST_TOPOLOGY=cluster): the end-to-end suite as
 * `npm run start:cluster` runs the product (libs/testing cluster-stack.ts), and test/cluster, whose
 * files each start the whole cluster of their own (startCluster) for what only it can show: users
 * spread over both gateways and instances, budgets across instances, and faults (a NATS node, one
 * instance of each service, a gateway) with their counts.
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    globalSetup: ['libs/testing/src/global-setup.ts'],
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // A test/cluster file runs 13 processes: two files at a time on two cores.
    maxWorkers: 2,
  },
});
